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
            return
        }
        guard let modules = KerasCallFacts.resolvableModules[className] else {
            if LayerRegistry.builtins[className] != nil { return }
            throw notSaveable(module, className, envelope)
        }
        guard modules.contains(module) else { throw notSaveable(module, className, envelope) }
        guard let facts = KerasCallFacts.layers[className], let config = envelope.config.objectValue else { return }
        if !facts.acceptsAnyArgument {
            let extra = config.filter { !facts.constructorArguments.contains($0.key) }
            if !extra.isEmpty {
                let shown = "{" + extra.map { "\(PythonRepr.string($0.key)): \(PythonRepr.of($0.value))" }.joined(separator: ", ") + "}"
                throw ReferenceError(ReferenceError.Code.invalidConfig,
                                     "<class '\(facts.module).\(className)'> could not be deserialized properly: Error when deserializing class '\(className)': Unrecognized keyword arguments passed to \(className): \(shown)",
                                     at: envelope.pointer + "/config/" + (extra.first?.key ?? ""))
            }
        }
        for (key, value) in config {
            guard let kind = objectKeys.first(where: { key == $0.suffix || (key.hasSuffix($0.suffix) && $0.suffix.hasPrefix("_")) || (key.hasSuffix("_activation") && $0.suffix == "activation") }),
                  let known = KerasCallFacts.namespaces[kind.namespace] else { continue }
            let pointer = envelope.pointer + "/config/" + key
            if let name = value.stringValue {
                guard known.contains(name) else {
                    throw ReferenceError(ReferenceError.Code.invalidConfig, "Could not interpret \(kind.kind) identifier: \(name)", at: pointer)
                }
            } else if let object = value.objectValue, let name = object["class_name"]?.stringValue,
                      let objectModule = object["module"]?.stringValue, objectModule == "keras." + kind.namespace {
                guard known.contains(name) else {
                    throw ReferenceError(ReferenceError.Code.unknownClass,
                                         "Could not deserialize '\(objectModule).\(name)' because it is not a KerasSaveable subclass", at: pointer)
                }
            }
        }
    }

    /// `_retrieve_class_or_fn`'s error for a Keras module that does not hold the class.
    static func notSaveable(_ module: String, _ className: String, _ envelope: ObjectEnvelope) -> ReferenceError {
        ReferenceError(ReferenceError.Code.unknownClass, "Could not deserialize '\(module).\(className)' because it is not a KerasSaveable subclass",
                       at: envelope.pointer)
    }
}
