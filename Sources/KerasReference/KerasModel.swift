import KerasBytes
import KerasFormat
import KerasHDF5
import KerasJSON

/// A model loaded by the reference core: the layer graph of its config with its stored weights assigned,
/// ready to `predict`.
public final class KerasModel: @unchecked Sendable {
    /// The file it was loaded from.
    public let file: KerasFile
    /// The top-level model (Sequential or Functional).
    public let root: any Layer
    /// How it was loaded.
    public let options: LoadOptions
    /// Stored objects kept without being modelled (the optimizer's state when compiling).
    var retainedObjects: [RetainedObject]
    /// The warnings Keras would have issued while loading, in order: with ``LoadOptions/skipMismatch``,
    /// the aggregated "A total of N objects could not be loaded…" message of the skipped objects (Keras
    /// warns once per load, SL:692, 709-710), or for legacy files one "Skipping loading weights for…"
    /// message per skipped weight (LH5:447-458). ``loadWeights(from:skipMismatch:limits:)`` appends its own.
    public private(set) var loadWarnings: [String]
    /// What the last save could not carry over as the source had it (a legacy `training_config` Keras 3
    /// compiles differently); empty when nothing was lost.
    public internal(set) var saveWarnings: [String] = []

    init(file: KerasFile, root: any Layer, options: LoadOptions, retainedObjects: [RetainedObject] = [], loadWarnings: [String] = []) {
        self.file = file
        self.root = root
        self.options = options
        self.retainedObjects = retainedObjects
        self.loadWarnings = loadWarnings
    }

    /// The input shapes, batch dimension included (unknown batch is nil).
    public var inputShapes: [Shape] { (root as? any ModelLayer)?.inputShapes ?? [] }

    /// Zeros of batch 1 for every model input (unknown dimensions 1), as the build run of legacy configs
    /// feeds the model; nil when an input shape is unknown or an input would exceed `maxElements` elements.
    public func zeroInputs(maxElements: Int) throws(ReferenceError) -> [Tensor]? {
        try DryRun.zeroInputs(for: inputShapes, maxElements: maxElements)
    }

    /// Runs the model on `inputs`, one tensor per model input in the model's order.
    public func predict(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        try root.invoke(inputs)
    }
}

/// Loads a `.keras` archive, a model folder, or (when it holds a Keras 3 config) any file kconform reads,
/// like `keras.saving.load_model`: config first, then weights, with aggregated load errors (or, with
/// ``LoadOptions/skipMismatch``, warnings in ``KerasModel/loadWarnings``).
public func loadModel(from path: String, options: LoadOptions = LoadOptions(), limits: ReadLimits = ReadLimits()) throws(ReferenceError) -> KerasModel {
    let file: KerasFile
    do { file = try KerasFile.open(path, limits: limits) } catch {
        throw ReferenceError(ReferenceError.Code.notAModel, error.reason, at: path)
    }
    return try loadModel(file, options: options)
}

/// Builds and loads the model of an opened file.
public func loadModel(_ file: KerasFile, options: LoadOptions = LoadOptions()) throws(ReferenceError) -> KerasModel {
    do {
        return try AutoName.$session.withValue(AutoName()) { () throws(ReferenceError) -> KerasModel in try loadModelInSession(file, options: options) }
    } catch let error as ReferenceError {
        throw error
    } catch {
        throw ReferenceError(ReferenceError.Code.loadFailed, "\(error)", at: file.path)
    }
}

/// ``loadModel(_:options:)`` inside its naming session (``AutoName``).
private func loadModelInSession(_ file: KerasFile, options: LoadOptions) throws(ReferenceError) -> KerasModel {
    try SafeMode.refuseLambdas(in: file, options: options)
    try AllocationBudget.check(file)
    if let fatal = file.findings.first(where: { $0.severity == .error }) {
        throw ReferenceError(ReferenceError.Code.notAModel, "\(fatal.ruleID): \(fatal.message)", at: fatal.location.description)
    }
    guard let config = file.config else { throw ReferenceError(ReferenceError.Code.notAModel, "the file holds no model config", at: file.path) }
    // `saving_lib.load_model` deserializes an archive's config with `deserialize_keras_object`, which
    // resolves a class without `module` only as a custom object; legacy `.h5` configs take the legacy path.
    if file.kind == .kerasArchive || file.kind == .modelFolder, config.root.object["module"] == nil,
       LayerRegistry.lookupName(config.root).flatMap({ options.customObjects.registeredObject($0) }) == nil {
        throw LayerRegistry.couldNotLocate(config.root)
    }
    if file.kind == .kerasArchive || file.kind == .modelFolder { try KerasResolution.checkCompileConfig(config.root) }
    let root = try LayerRegistry.make(config.root, options: options)
    try DryRun.buildUnbuiltLayers(root)
    var warnings: [String] = []
    if let weights = file.weights {
        warnings = try assignWeights(weights, to: root, skipMismatch: options.skipMismatch, path: file.path)
    }
    return KerasModel(file: file, root: root, options: options, retainedObjects: try retainedOptimizerState(file, options: options),
                      loadWarnings: warnings)
}

/// Assigns stored weights to `root` by their layout; returns the warnings of skipped objects.
func assignWeights(_ weights: WeightsTree, to root: any Layer, skipMismatch: Bool, path: String) throws(ReferenceError) -> [String] {
    switch weights.layout {
    case .keras3:
        var loader = WeightsLoader(tree: weights)
        loader.load(root)
        return try loader.finish(skipMismatch: skipMismatch)
    case .legacy:
        guard let model = root as? any ModelLayer else {
            throw ReferenceError(ReferenceError.Code.notAModel, "a legacy file whose config is not a model", at: path)
        }
        return try LegacyWeightsLoader.load(model, tree: weights, skipMismatch: skipMismatch)
    }
}

/// With `compile`, the optimizer's stored objects (`optimizer`, `optimizer/...`), kept for re-saving.
func retainedOptimizerState(_ file: KerasFile, options: LoadOptions) throws(ReferenceError) -> [RetainedObject] {
    guard options.compile, let weights = file.weights, weights.layout == .keras3 else { return [] }
    var retained: [RetainedObject] = []
    for object in weights.objects where object.path == "optimizer" || object.path.hasPrefix("optimizer/") {
        var variables: [(dtype: String, shape: [Int], bytes: ByteView)] = []
        for variable in object.variables {
            do throws(HDF5Error) {
                variables.append((variable.dtype, variable.shape, try weights.sources[variable.sourceIndex].file.data(of: variable.dataset)))
            } catch {
                throw ReferenceError(ReferenceError.Code.loadFailed, "\(error.code.ruleID): \(error.reason)", at: variable.hdf5Path)
            }
        }
        retained.append(RetainedObject(path: object.path, name: object.name, variables: variables))
    }
    return retained
}

extension KerasModel {
    /// Assigns the weights stored at `path` (`.weights.h5`, sharded `.weights.json`, `.keras`, legacy `.h5`)
    /// to this model, like `model.load_weights(path, skip_mismatch=skipMismatch)` (API:266-365, SL:636-695).
    /// Mismatching objects fail the load with Keras's aggregated error, or with `skipMismatch` are skipped
    /// (keeping their values) and Keras's warning is returned and appended to ``loadWarnings``.
    @discardableResult
    public func loadWeights(from path: String, skipMismatch: Bool = false, limits: ReadLimits = ReadLimits()) throws(ReferenceError) -> [String] {
        let weightsFile: KerasFile
        do { weightsFile = try KerasFile.open(path, limits: limits) } catch {
            throw ReferenceError(ReferenceError.Code.notAModel, error.reason, at: path)
        }
        if let fatal = weightsFile.findings.first(where: { $0.severity == .error }) {
            throw ReferenceError(ReferenceError.Code.notAModel, "\(fatal.ruleID): \(fatal.message)", at: fatal.location.description)
        }
        guard let weights = weightsFile.weights else { throw ReferenceError(ReferenceError.Code.notAModel, "the file holds no weights", at: path) }
        let warnings = try assignWeights(weights, to: root, skipMismatch: skipMismatch, path: path)
        loadWarnings += warnings
        return warnings
    }
}

/// Builds layers that have no `build_config` (legacy configs) by running the model once on zeros of batch 1,
/// as Keras builds on first call. Layers without forward math stop the run; they stay unbuilt.
enum DryRun {
    /// The most elements one zero input of the dry run may have: 2^24 (64 MiB of float32). A config that
    /// declares a larger input is not run; its unbuilt layers stay unbuilt, and loading weights into them
    /// fails with Keras's aggregated error instead of allocating what the config claims.
    static let maxInputElements = 1 << 24

    static func buildUnbuiltLayers(_ root: any Layer) throws(ReferenceError) {
        guard let model = root as? any ModelLayer, containsUnbuilt(model),
              let inputs = try zeroInputs(for: model.inputShapes, maxElements: maxInputElements) else { return }
        do throws(ReferenceError) { _ = try model.invoke(inputs) } catch {
            if error.code != ReferenceError.Code.notImplemented { throw error }
        }
    }

    /// Zeros of every input shape with unknown dimensions (the batch among them) as `size`; nil when a shape is
    /// unknown or one input would hold more than `maxElements` elements. A negative dimension is Keras's error.
    static func zeroInputs(for shapes: [Shape], maxElements: Int, unknownAs size: Int = 1) throws(ReferenceError) -> [Tensor]? {
        var inputs: [Tensor] = []
        for shape in shapes {
            guard !shape.isEmpty else { return nil }
            let dimensions = shape.map { $0 ?? size }
            if let bad = dimensions.first(where: { $0 < 0 }) {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "Negative dimensions are not allowed in the shape argument. Received shape=\(shape.map { $0.map(String.init) ?? "None" }) (dimension \(bad))", at: "config.json")
            }
            guard let elements = Checked.product(dimensions), elements <= maxElements else { return nil }
            inputs.append(Tensor(zeros: dimensions))
        }
        return inputs
    }

    private static func containsUnbuilt(_ model: any ModelLayer) -> Bool {
        model.layers.contains { layer in
            if let nested = layer as? any ModelLayer { return containsUnbuilt(nested) }
            return !layer.isBuilt && !(layer is InputLayer) && !(layer is OperationLayer) && !BuiltAtInit.classNames.contains(layer.className)
        }
    }
}

