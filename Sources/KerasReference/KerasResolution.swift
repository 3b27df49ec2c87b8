import KerasFormat
import KerasJSON

/// The refusals of `deserialize_keras_object` that a Keras 3 envelope's content decides, checked before a
/// layer is built so that `load` fails where `keras.saving.load_model` fails, with Keras's words:
///
/// - the class: `_retrieve_class_or_fn` resolves `module.class_name` as a public API name or from the
///   module's namespace (``KerasCallFacts/resolvableModules``); another Keras module is "not a
///   KerasSaveable subclass";
/// - the arguments: `from_config` calls the constructor with the config, and `Layer.__init__` raises
///   "Unrecognized keyword arguments" for one the class does not take (``LayerCallFacts``);
/// - names of functions and objects: `activations.get`, `initializers.get`, `regularizers.get` and
///   `constraints.get` refuse a name outside their `ALL_OBJECTS_DICT` (``KerasCallFacts/namespaces``).
///
/// Only classes Keras defines are checked; a class known to the reference core that Keras's layer list
/// does not hold (keras.applications' own layers) is left to the builder.
enum KerasResolution {
    /// Whether the envelope being built sits in a legacy entry (no `module`), whose content is not checked.
    @TaskLocal static var insideLegacy = false

    /// Config keys whose value names an object of a namespace, by suffix (the key itself for activations).
    static let objectKeys: [(suffix: String, namespace: String, kind: String)] = [
        ("activation", "activations", "activation function"), ("_initializer", "initializers", "initializer"),
        ("_regularizer", "regularizers", "regularizer"), ("_constraint", "constraints", "constraint"),
    ]

    static func check(_ envelope: ObjectEnvelope, module: String) throws(ReferenceError) {
        let className = envelope.className
        if module.hasPrefix("keras.src.ops.") {
            guard KerasCallFacts.operations.contains(where: { $0.module == module && $0.name == className }) else {
                throw notSaveable(module, className, envelope)
            }
            if let accepted = KerasCallFacts.operationArguments[className], let config = envelope.config.objectValue {
                try refuseUnknownArguments(config.keys.filter { !accepted.contains($0) }, of: className, in: config, envelope)
            }
            return
        }
        guard let modules = KerasCallFacts.resolvableModules[className] else {
            if LayerRegistry.builtins[className] != nil { return }
            throw notSaveable(module, className, envelope)
        }
        guard modules.contains(module) else { throw notSaveable(module, className, envelope) }
        guard let facts = KerasCallFacts.layers[className], let config = envelope.config.objectValue else { return }
        if !facts.acceptsAnyArgument {
            try refuseUnknownArguments(config.keys.filter { !facts.constructorArguments.contains($0) }, of: className, in: config, envelope)
        }
        try checkArgumentValues(className, config, envelope)
        for (key, value) in config {
            guard let kind = objectKeys.first(where: { key == $0.suffix || (key.hasSuffix($0.suffix) && $0.suffix.hasPrefix("_")) || (key.hasSuffix("_activation") && $0.suffix == "activation") }),
                  let known = KerasCallFacts.namespaces[kind.namespace] else { continue }
            let pointer = envelope.pointer + "/config/" + key
            if value.isNull { continue }
            if let name = value.stringValue {
                guard known.contains(name) else {
                    throw ReferenceError(ReferenceError.Code.invalidConfig, "Could not interpret \(kind.kind) identifier: \(name)", at: pointer)
                }
            } else if let object = value.objectValue, let name = object["class_name"]?.stringValue {
                if let objectModule = object["module"]?.stringValue, objectModule == "keras." + kind.namespace, !known.contains(name) {
                    throw ReferenceError(ReferenceError.Code.unknownClass,
                                         "Could not deserialize '\(objectModule).\(name)' because it is not a KerasSaveable subclass", at: pointer)
                }
                // `cls(**config)` of the object (resolved from the namespace by class name).
                if let accepted = KerasCallFacts.objectArguments[kind.namespace + "." + name], let inner = object["config"]?.objectValue,
                   let unknown = inner.keys.first(where: { !accepted.contains($0) }) {
                    throw ReferenceError(ReferenceError.Code.invalidConfig,
                                         "\(name).__init__() got an unexpected keyword argument '\(unknown)'", at: pointer + "/config/" + unknown)
                }
            } else {
                // A number, a boolean or a list is no identifier `get` interprets.
                throw ReferenceError(ReferenceError.Code.invalidConfig, "Could not interpret \(kind.kind) identifier: \(PythonRepr.of(value))", at: pointer)
            }
        }
    }

    /// `Layer.__init__`'s "Unrecognized keyword arguments" (an operation's constructor raises TypeError
    /// for the same reason), with the extra arguments as Python prints the dict.
    static func refuseUnknownArguments(_ keys: [String], of className: String, in config: JSONObject, _ envelope: ObjectEnvelope) throws(ReferenceError) {
        guard !keys.isEmpty else { return }
        let shown = "{" + keys.map { "\(PythonRepr.string($0)): \(PythonRepr.of(config[$0] ?? .null))" }.joined(separator: ", ") + "}"
        throw ReferenceError(ReferenceError.Code.invalidConfig,
                             "Error when deserializing class '\(className)': Unrecognized keyword arguments passed to \(className): \(shown)",
                             at: envelope.pointer + "/config/" + keys[0])
    }

    /// Argument values the constructors of Keras check themselves (`Dropout`'s rate in [0, 1]).
    static func checkArgumentValues(_ className: String, _ config: JSONObject, _ envelope: ObjectEnvelope) throws(ReferenceError) {
        if ["Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout", "GaussianDropout"].contains(className),
           let rate = config["rate"]?.doubleValue ?? config["rate"]?.intValue.map(Double.init), !(0...1).contains(rate) {
            throw ReferenceError(ReferenceError.Code.invalidConfig,
                                 "Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=\(PythonRepr.of(config["rate"] ?? .null))",
                                 at: envelope.pointer + "/config/rate")
        }
    }

    /// `compile_from_config`: an optimizer given by a name `optimizers.get` does not know is Keras's
    /// "Could not interpret optimizer identifier" (losses and metrics given by unknown names load; they
    /// fail only when used).
    static func checkCompileConfig(_ root: ObjectEnvelope) throws(ReferenceError) {
        guard let compile = root.object["compile_config"]?.objectValue, let optimizer = compile["optimizer"],
              let name = optimizer.stringValue, let known = KerasCallFacts.namespaces["optimizers"] else { return }
        guard known.contains(name.lowercased()) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "Could not interpret optimizer identifier: \(name)",
                                 at: root.pointer + "/compile_config/optimizer")
        }
    }

    /// `_retrieve_class_or_fn`'s error for a Keras module that does not hold the class.
    static func notSaveable(_ module: String, _ className: String, _ envelope: ObjectEnvelope) -> ReferenceError {
        ReferenceError(ReferenceError.Code.unknownClass, "Could not deserialize '\(module).\(className)' because it is not a KerasSaveable subclass",
                       at: envelope.pointer)
    }
}
