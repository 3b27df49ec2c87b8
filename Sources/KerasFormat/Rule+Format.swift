/// The rules about the Keras file model, as opposed to the readers' own error codes.
///
/// Ids are stable: a rule that is retired keeps its id reserved. Each rationale cites the Keras
/// behaviour it mirrors (docs/FORMAT.md sections).
extension Rule {
    // MARK: Files (KC-FILE)

    /// The path is neither a Keras archive, a model folder, an HDF5 file nor a sharded index.
    public static let unrecognizedFile = Rule(
        id: "KC-FILE-001", name: "unrecognizedFile", severity: .error, source: .format,
        rationale: "A file kconform cannot classify is reported, not skipped: Keras might still load it by extension.")
    /// The extension does not match the content (a zip named .h5, an HDF5 file named .keras).
    public static let extensionMismatch = Rule(
        id: "KC-FILE-002", name: "extensionMismatch", severity: .error, source: .format,
        rationale: "Keras dispatches on the extension (FORMAT.md 8.1); content of another kind fails to load or loads differently.")
    /// A folder that contains no `config.json` and is therefore no model folder.
    public static let folderWithoutConfig = Rule(
        id: "KC-FILE-003", name: "folderWithoutConfig", severity: .error, source: .format,
        rationale: "load_model accepts a directory only when it holds config.json (FORMAT.md 1.3).")

    /// A JSON document (config, metadata, model_config, sharded index) is larger than the budget.
    public static let documentTooLarge = Rule(
        id: "KC-FILE-004", name: "documentTooLarge", severity: .error, source: .format,
        rationale: "JSON documents are read whole; ReadLimits.maxJSONDocumentBytes bounds the memory that costs.")
    /// A member or file of the model could not be read at all.
    public static let unreadablePart = Rule(
        id: "KC-FILE-005", name: "unreadablePart", severity: .error, source: .format,
        rationale: "A part that cannot be read (I/O error, not a regular file) cannot be checked.")

    // MARK: Archive members (KC-ARC)

    /// The archive or folder has no `config.json`.
    public static let missingConfig = Rule(
        id: "KC-ARC-001", name: "missingConfig", severity: .error, source: .format,
        rationale: "load_model raises \"There is no item named 'config.json' in the archive\" (FORMAT.md 8.1).")
    /// The archive or folder has neither `model.weights.h5` nor `model.weights.npz`.
    public static let missingWeights = Rule(
        id: "KC-ARC-002", name: "missingWeights", severity: .error, source: .format,
        rationale: "load_model raises \"Expected a model.weights.h5 or model.weights.npz file.\" (FORMAT.md 8.1).")
    /// `metadata.json` is absent.
    public static let missingMetadata = Rule(
        id: "KC-ARC-003", name: "missingMetadata", severity: .warning, source: .format,
        rationale: "Keras always writes it; load_model never reads it, KerasFileEditor requires it (FORMAT.md 3).")
    /// A member Keras does not write and does not read.
    public static let unexpectedMember = Rule(
        id: "KC-ARC-004", name: "unexpectedMember", severity: .warning, source: .format,
        rationale: "Keras writes only metadata.json, config.json, the weights member and assets/; other members ride along unseen (FORMAT.md 1.1).")
    /// Members are not in the order Keras writes them.
    public static let memberOrder = Rule(
        id: "KC-ARC-005", name: "memberOrder", severity: .info, source: .format,
        rationale: "Keras writes metadata.json, config.json, the weights, then assets (or assets before weights on the low-memory path); order does not affect loading (FORMAT.md 1.1, 12.2).")
    /// A member is compressed; Keras always stores.
    public static let compressedMember = Rule(
        id: "KC-ARC-006", name: "compressedMember", severity: .info, source: .format,
        rationale: "Keras writes STORED members; the loader accepts DEFLATE (FORMAT.md 1.2).")
    /// The weights are in `model.weights.npz`, which Keras 3.15.1 cannot load.
    public static let npzWeights = Rule(
        id: "KC-ARC-007", name: "npzWeights", severity: .error, source: .format,
        rationale: "The npz store holds pickled object arrays and Keras opens it with allow_pickle=False, so its own npz output never loads (FORMAT.md 5.2).")
    /// Both `model.weights.h5` and `model.weights.npz` are present.
    public static let ambiguousWeights = Rule(
        id: "KC-ARC-008", name: "ambiguousWeights", severity: .warning, source: .format,
        rationale: "Keras prefers model.weights.h5; the npz member is never read (FORMAT.md 8.1).")
    /// A member lies in a directory where Keras never looks for it (for example `sub/config.json`).
    public static let nestedModelMember = Rule(
        id: "KC-ARC-009", name: "nestedModelMember", severity: .warning, source: .format,
        rationale: "Keras finds config.json and the weights only at the archive root (FORMAT.md 8.1).")

    // MARK: Metadata (KC-META)

    /// `metadata.json` is not an object with string `keras_version` and `date_saved`.
    public static let metadataShape = Rule(
        id: "KC-META-001", name: "metadataShape", severity: .warning, source: .format,
        rationale: "Keras writes exactly {keras_version, date_saved}; KerasFileEditor requires both (FORMAT.md 3).")

    // MARK: Config (KC-CFG)

    /// `config.json` (or a legacy `model_config`) is not a JSON object envelope.
    public static let configNotEnvelope = Rule(
        id: "KC-CFG-001", name: "configNotEnvelope", severity: .error, source: .format,
        rationale: "The top level must be an object envelope with class_name and config (FORMAT.md 2.1, 8.2).")
    /// An envelope field has the wrong JSON type.
    public static let envelopeFieldType = Rule(
        id: "KC-CFG-002", name: "envelopeFieldType", severity: .error, source: .format,
        rationale: "module and registered_name are strings or null, class_name a string, config an object (a string for functions) (FORMAT.md 2.1, 8.2).")
    /// A model config lacks its `layers` list or has entries that are not envelopes.
    public static let modelLayers = Rule(
        id: "KC-CFG-003", name: "modelLayers", severity: .error, source: .format,
        rationale: "Sequential and Functional configs carry a list of layer envelopes (FORMAT.md 2.5, 2.6).")
    /// Two layers of one model share a name.
    public static let duplicateLayerName = Rule(
        id: "KC-CFG-004", name: "duplicateLayerName", severity: .error, source: .format,
        rationale: "Keras requires unique layer names within a model; Functional graphs refer to layers by name (FORMAT.md 2.5).")
    /// A Functional graph names a layer that does not exist.
    public static let unknownLayerReference = Rule(
        id: "KC-CFG-005", name: "unknownLayerReference", severity: .error, source: .format,
        rationale: "input_layers, output_layers and inbound_nodes refer to layers by name; an unknown one fails with \"Unknown layer\" (FORMAT.md 2.5).")
    /// A Sequential config has no `name`.
    public static let sequentialName = Rule(
        id: "KC-CFG-006", name: "sequentialName", severity: .error, source: .format,
        rationale: "Sequential.from_config requires name and layers (FORMAT.md 2.6).")

    // MARK: Weights (KC-W)

    // KC-W-001 is retired: a dataset whose data cannot be read carries the HDF5 reader's own code.

    /// A floating-point variable holds NaN or infinity.
    public static let nonFiniteWeights = Rule(
        id: "KC-W-002", name: "nonFiniteWeights", severity: .warning, source: .format,
        rationale: "Keras loads NaN and Inf silently; predictions are then NaN or Inf.")
    /// A dataset's datatype is not one Keras stores.
    public static let unsupportedWeightType = Rule(
        id: "KC-W-003", name: "unsupportedWeightType", severity: .error, source: .format,
        rationale: "Keras stores IEEE floats, integers, bool enums and bfloat16 opaques; strings and others fail at assign (FORMAT.md 4.4, 8.3).")
    /// A `vars` group lacks the `name` attribute Keras writes.
    public static let varsWithoutName = Rule(
        id: "KC-W-004", name: "varsWithoutName", severity: .info, source: .format,
        rationale: "Keras writes a name attribute on every vars group of a named object; loading ignores it (FORMAT.md 4.2, 10).")
    /// A `vars` group's dataset names are not exactly `0` to `n-1`.
    public static let varsKeys = Rule(
        id: "KC-W-005", name: "varsKeys", severity: .error, source: .format,
        rationale: "Variables are looked up by str(i) for i in 0..<n; any other name is never read, a gap fails with KeyError (FORMAT.md 4.5, 8.3).")
    /// A 2-byte opaque dataset without `dtype="bfloat16"`.
    public static let opaqueWithoutDType = Rule(
        id: "KC-W-006", name: "opaqueWithoutDType", severity: .error, source: .format,
        rationale: "Keras converts an opaque dataset only when its dtype attribute is \"bfloat16\" (FORMAT.md 4.4).")
    /// A soft link anywhere in a weights file.
    public static let softLink = Rule(
        id: "KC-W-007", name: "softLink", severity: .error, source: .format,
        rationale: "Keras refuses \"H5 file with SoftLink\" (FORMAT.md 9); a link redirects which bytes are read.")
    /// An external link anywhere in a weights file.
    public static let externalLink = Rule(
        id: "KC-W-008", name: "externalLink", severity: .error, source: .format,
        rationale: "An external link makes the loader read another file (THREATS.md B1); Keras refuses it.")
    /// A dataset stores its data in an external file.
    public static let externalStorage = Rule(
        id: "KC-W-009", name: "externalStorage", severity: .error, source: .format,
        rationale: "External raw storage reads any local file as weights (CVE-2026-1669, THREATS.md B3).")
    /// A virtual dataset.
    public static let virtualDataset = Rule(
        id: "KC-W-010", name: "virtualDataset", severity: .error, source: .format,
        rationale: "A virtual dataset maps data from other files (THREATS.md B4); Keras refuses it.")
    /// A dataset declares far more bytes than the file stores.
    public static let declaredSizeBomb = Rule(
        id: "KC-W-011", name: "declaredSizeBomb", severity: .error, source: .format,
        rationale: "A dataset declaring much more than it stores inflates memory at load (THREATS.md B5); Keras refuses only above 4 GiB and 1000x, kconform above the configured budget.")
    /// Two links reach one object (hard-link aliasing).
    public static let aliasedObject = Rule(
        id: "KC-W-012", name: "aliasedObject", severity: .warning, source: .format,
        rationale: "Keras accepts hard links, but Keras never writes them: two variables silently share bytes (THREATS.md B6).")
    /// A dataset outside any `vars` group of the Keras 3 layout.
    public static let strayDataset = Rule(
        id: "KC-W-013", name: "strayDataset", severity: .warning, source: .format,
        rationale: "Keras 3 reads variables only from <path>/vars/<i>; other datasets are never loaded (FORMAT.md 4.2).")

    // MARK: Sharded weights (KC-SHARD)

    /// The sharded index is not the JSON Keras writes.
    public static let shardIndexShape = Rule(
        id: "KC-SHARD-001", name: "shardIndexShape", severity: .error, source: .format,
        rationale: "The index is {metadata: {total_size}, weight_map: {group: shard or [shards]}} (FORMAT.md 5.1).")
    /// A shard named in the index does not exist next to it.
    public static let missingShard = Rule(
        id: "KC-SHARD-002", name: "missingShard", severity: .error, source: .format,
        rationale: "Loading opens every shard the index names (FORMAT.md 5.1).")
    /// A shard name leaves the index's directory.
    public static let shardPathEscapes = Rule(
        id: "KC-SHARD-003", name: "shardPathEscapes", severity: .error, source: .format,
        rationale: "Shard names are joined to the index directory; a separator or .. reads a file elsewhere (THREATS.md C3).")
    /// A `weight_map` entry names a group that no listed shard contains.
    public static let shardGroupMissing = Rule(
        id: "KC-SHARD-004", name: "shardGroupMissing", severity: .error, source: .format,
        rationale: "Loading looks the group up in the listed shards and raises KeyError when none has it (FORMAT.md 5.1).")

    // MARK: Legacy HDF5 (KC-LEG)

    /// A legacy `.h5` full model without a readable `model_config`.
    public static let legacyModelConfig = Rule(
        id: "KC-LEG-001", name: "legacyModelConfig", severity: .error, source: .format,
        rationale: "load_model on .h5 requires the model_config attribute (\"No model config found\", FORMAT.md 7.1).")
    /// `layer_names` names a group that is absent, or a layer group lacks `weight_names`.
    public static let legacyLayerGroup = Rule(
        id: "KC-LEG-002", name: "legacyLayerGroup", severity: .error, source: .format,
        rationale: "Legacy loading walks layer_names and reads each group's weight_names (FORMAT.md 7.1, 7.2).")
    /// `weight_names` names a dataset that is absent.
    public static let legacyWeightMissing = Rule(
        id: "KC-LEG-003", name: "legacyWeightMissing", severity: .error, source: .format,
        rationale: "Each weight name is read as a dataset path relative to its layer group (FORMAT.md 7.1).")
    /// A legacy attribute is not a string or a list of strings.
    public static let legacyAttributeType = Rule(
        id: "KC-LEG-004", name: "legacyAttributeType", severity: .error, source: .format,
        rationale: "model_config, layer_names and weight_names are strings (vlen or fixed) or, for no weights, an empty float array (FORMAT.md 7.1).")

    /// `training_config` names its optimizer by a tf-keras class (`Custom>Adam`) that Keras 3 does not
    /// resolve: compiling builds a default-configured optimizer from the config's `name`.
    public static let legacyOptimizerByName = Rule(
        id: "KC-LEG-005", name: "legacyOptimizerByName", severity: .warning, source: .format,
        rationale: "Keras 3 turns an unresolved optimizer class into optimizers.get(config[\"name\"]) (LSU:130-146, 235-246): the saved hyperparameters and optimizer_weights are not restored.")
    /// `training_config` names an optimizer that Keras 3 can resolve neither by class nor by `name`.
    public static let legacyOptimizerUnresolved = Rule(
        id: "KC-LEG-006", name: "legacyOptimizerUnresolved", severity: .error, source: .format,
        rationale: "load_model(compile=True) raises \"Could not interpret optimizer identifier\" (OPT:81-105 via LSU:235-246); only compile=False loads.")

    /// Every format rule, in id order.
    public static let formatRules: [Rule] = [
        unrecognizedFile, extensionMismatch, folderWithoutConfig, documentTooLarge, unreadablePart,
        missingConfig, missingWeights, missingMetadata, unexpectedMember, memberOrder, compressedMember,
        npzWeights, ambiguousWeights, nestedModelMember,
        metadataShape,
        configNotEnvelope, envelopeFieldType, modelLayers, duplicateLayerName, unknownLayerReference, sequentialName,
        nonFiniteWeights, unsupportedWeightType, varsWithoutName, varsKeys, opaqueWithoutDType,
        softLink, externalLink, externalStorage, virtualDataset, declaredSizeBomb, aliasedObject, strayDataset,
        shardIndexShape, missingShard, shardPathEscapes, shardGroupMissing,
        legacyModelConfig, legacyLayerGroup, legacyWeightMissing, legacyAttributeType, legacyOptimizerByName,
        legacyOptimizerUnresolved,
    ]
}
