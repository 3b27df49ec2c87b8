import Foundation
import KerasBytes
import KerasHDF5
import KerasJSON

/// Writes a legacy `.h5` full model the way Keras 3's `legacy_h5_format.save_model_to_hdf5` does
/// (FORMAT.md 7.1): root `keras_version`/`backend` (UTF-8) and `model_config`/`training_config` (ASCII),
/// `model_weights` with `layer_names` and one group per layer holding `weight_names` and the datasets at
/// those paths, `top_level_model_weights`. The optimizer's state is not written (as `include_optimizer=False`).
/// The ``LegacyFlavor/keras2`` flavour writes what tf-keras 2.x writes instead (``Keras2Config``, weight names
/// `layer/variable:0`, backend `tensorflow`), and its weights-only layout (`model.save_weights("x.h5")`):
/// the `model_weights` content at the root.
enum LegacySaver {
    /// Attributes larger than this are split into `<name>0..k` (LH5:25, 288-329).
    static let attributeLimit = 64_512
    /// The tf-keras release whose files the Keras 2 flavour reproduces, written as `keras_version` (the
    /// tier `Tests/python/test_tf_keras.py` loads them with it).
    static let tfKerasVersion = "2.21.0"

    static func bytes(of model: KerasModel, flavor: LegacyFlavor = .keras3, weightsOnly: Bool = false, backend: String = "jax") throws(ReferenceError) -> [UInt8] {
        guard let config = model.file.configJSON, let root = model.root as? any ModelLayer else {
            throw ReferenceError(ReferenceError.Code.notAModel, "no model config to save", at: model.file.path)
        }
        let keras2 = flavor == .keras2
        let version = keras2 ? tfKerasVersion : KerasModel.kerasVersion
        let backend = keras2 ? "tensorflow" : backend
        // A tf-keras source re-saved as Keras 3 writes it: Keras 3's vocabulary (``Keras3Config``).
        let modelConfig = keras2 ? try Keras2Config.model(config) : legacyConfig(try Keras3Config.config(of: model))
        let training = keras2 ? trainingConfig(config).map(keras2TrainingConfig) : trainingConfig(config)
        do throws(HDF5WriteError) {
            let writer = try HDF5Writer()
            let weightsGroup = weightsOnly ? "" : "/model_weights"
            if !weightsOnly {
                try writer.setStringAttribute("/", name: "keras_version", value: version)
                try writer.setStringAttribute("/", name: "backend", value: backend)
                try writer.setStringAttribute("/", name: "model_config", value: JSONWriter.dumps(modelConfig), charset: .ascii)
                let stored = storedTrainingConfig(model).map { text in
                    keras2 ? (try? JSONReader.parse(text)).map { JSONWriter.dumps(keras2TrainingConfig($0)) } ?? text : text
                }
                if let text = training.map({ JSONWriter.dumps($0) }) ?? stored {
                    try writer.setStringAttribute("/", name: "training_config", value: text, charset: .ascii)
                }
                try writer.createGroup(weightsGroup)
            }
            let attributes = weightsOnly ? "/" : weightsGroup
            let names = root.layers.map(\.name)
            try setNames(writer, attributes, "layer_names", names)
            try writer.setStringAttribute(attributes, name: "backend", value: backend, charset: .ascii)
            try writer.setStringAttribute(attributes, name: "keras_version", value: version, charset: .ascii)
            let modelName = model.root.name
            for layer in root.layers.sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
                let group = weightsGroup + "/" + layer.name
                try writer.createGroup(group)
                let variables = keras2 ? weightPaths(layer, prefix: layer.name).map { ($0.path + ":0", $0.variable) }
                                       : weightPaths(layer, prefix: modelName + "/" + layer.name)
                try setNames(writer, group, "weight_names", variables.map(\.0))
                for (path, variable) in variables {
                    // Legacy files have no bfloat16 encoding that Keras reads back (docs/DIVERGENCES.md):
                    // bfloat16 values are written as float32, a lossless widening Keras casts back exactly.
                    let (dtype, bytes) = variable.dtype == "bfloat16" ? ("float32", variable.float32Bytes) : variable.bytesForSaving
                    guard let type = HDF5Writer.DType(rawValue: dtype) else {
                        throw HDF5WriteError(kind: .invalidArgument, call: "save", path: path, detail: "dtype \(dtype) cannot be written")
                    }
                    try writer.createDataset(group + "/" + path, dtype: type, shape: variable.shape, data: bytes)
                }
            }
            try writer.createGroup(weightsGroup + "/top_level_model_weights")
            try writer.setFloat64ArrayAttribute(weightsGroup + "/top_level_model_weights", name: "weight_names", values: [])
            return try writer.finish()
        } catch {
            throw ReferenceError(ReferenceError.Code.saveFailed, error.description)
        }
    }

    /// `layer.weights` with their `variable.path`: trainable then non-trainable (LH5:648-664).
    static func weightPaths(_ layer: any Layer, prefix: String) -> [(path: String, variable: Variable)] {
        var all: [(path: String, variable: Variable)] = []
        func collect(_ layer: any Layer, _ prefix: String) {
            all += layer.variablesInCreationOrder.map { (prefix + "/" + $0.name, $0) }
            if let model = layer as? any ModelLayer { for child in model.layers { collect(child, prefix + "/" + child.name) } }
            for child in layer.trackedChildren { collect(child, prefix + "/" + child.name) }
        }
        collect(layer, prefix)
        return all.filter(\.variable.trainable) + all.filter { !$0.variable.trainable }
    }

    /// A list of names as Keras stores it: vlen ASCII strings, an empty float64 array when empty, or
    /// fixed-length `name0..k` chunks when the `S` array would exceed the attribute limit.
    static func setNames(_ writer: HDF5Writer, _ path: String, _ name: String, _ values: [String]) throws(HDF5WriteError) {
        if values.isEmpty {
            try writer.setFloat64ArrayAttribute(path, name: name, values: [])
            return
        }
        let width = values.map(\.utf8.count).max() ?? 0
        var chunks = 1
        while (values.count + chunks - 1) / chunks * width > attributeLimit { chunks += 1 }
        if chunks == 1 {
            try writer.setStringArrayAttribute(path, name: name, values: values, charset: .ascii)
            return
        }
        // np.array_split: the first `count % chunks` parts get one extra element.
        var start = 0
        for chunk in 0..<chunks {
            let size = values.count / chunks + (chunk < values.count % chunks ? 1 : 0)
            try writer.setFixedStringArrayAttribute(path, name: "\(name)\(chunk)", values: Array(values[start..<(start + size)]))
            start += size
        }
    }

    /// The legacy `model_config`: `{"class_name", "config"}` with every layer entry reduced to
    /// `class_name` and `config` (plus `name` and `inbound_nodes` in Functional models), recursively.
    static func legacyConfig(_ envelope: JSONValue) -> JSONValue {
        var config = envelope["config"]?.objectValue ?? JSONObject()
        if let layers = config["layers"]?.arrayValue {
            config["layers"] = .array(layers.map { entry in
                var legacy = legacyConfig(entry).objectValue ?? JSONObject()
                for key in ["name", "inbound_nodes"] { if let value = entry[key] { legacy[key] = value } }
                return .object(legacy)
            })
        }
        return .object(JSONObject([("class_name", envelope["class_name"] ?? .null), ("config", .object(config))]))
    }

    /// The `training_config` attribute of a legacy source file, kept as written.
    static func storedTrainingConfig(_ model: KerasModel) -> String? {
        guard model.file.kind == .legacyModel, let source = model.file.weights?.sources.first else { return nil }
        return source.file.root.attributes.first { $0.name == "training_config" }?.value.stringValue
    }

    /// Keras 3 optimizer arguments tf-keras's optimizers do not take (OPT:1026-1071 against tf-keras's
    /// `optimizer.py`); they hold defaults in any model Keras 2 could have trained.
    static let keras3OptimizerArguments: Set<String> = ["loss_scale_factor", "gradient_accumulation_steps"]

    /// A `training_config` as tf-keras writes it: the optimizer under its tf-keras registered name
    /// (`Custom>Adam`, see ``LegacyTrainingConfig`` in KerasFormat), without Keras 3's own arguments.
    static func keras2TrainingConfig(_ training: JSONValue) -> JSONValue {
        guard var object = training.objectValue, var optimizer = object["optimizer_config"]?.objectValue,
              let className = optimizer["class_name"]?.stringValue else { return training }
        optimizer["class_name"] = .string(className.contains(">") ? className : "Custom>" + className)
        if var config = optimizer["config"]?.objectValue {
            for key in keras3OptimizerArguments { config.removeValue(forKey: key) }
            optimizer["config"] = .object(config)
        }
        object["optimizer_config"] = .object(optimizer)
        return .object(object)
    }

    /// `training_config`: the compile config without `optimizer`, plus `optimizer_config` (LSU:97-127).
    static func trainingConfig(_ envelope: JSONValue) -> JSONValue? {
        guard let compile = envelope["compile_config"]?.objectValue, !compile.isEmpty else { return nil }
        var training = JSONObject()
        for (key, value) in compile where key != "optimizer" { training[key] = value }
        if let optimizer = compile["optimizer"], let className = optimizer["class_name"] {
            training["optimizer_config"] = .object(JSONObject([("class_name", optimizer["registered_name"].flatMap { $0.isNull ? nil : $0 } ?? className),
                                                               ("config", optimizer["config"] ?? .null)]))
        }
        return .object(training)
    }
}

extension KerasModel {
    /// Saves a legacy `.h5` full model as Keras 3 (default) or tf-keras 2.x writes it (see ``LegacySaver``),
    /// atomically (see ``AtomicWrite``).
    public func saveLegacyH5(to path: String, flavor: LegacyFlavor = .keras3) throws(ReferenceError) {
        try AtomicWrite.file(try LegacySaver.bytes(of: self, flavor: flavor), to: path)
    }

    /// Saves the weights in Keras 2's weights-only `.h5` layout (tf-keras `model.save_weights("x.h5")`),
    /// which `load_weights` of tf-keras and Keras 3 read by topology; atomically.
    public func saveKeras2Weights(to path: String) throws(ReferenceError) {
        try AtomicWrite.file(try LegacySaver.bytes(of: self, flavor: .keras2, weightsOnly: true), to: path)
    }
}
