import KerasFormat
import KerasJSON

/// Built-in layer classes by exported name (`keras.layers.<Name>`), and the construction of any layer
/// envelope with Keras's rules: custom objects, models, built-ins, unknown built-ins (opaque).
enum LayerRegistry {
    static let builtins: [String: BaseLayer.Type] = {
        var table: [String: BaseLayer.Type] = [
            "InputLayer": InputLayer.self, "Dense": Dense.self, "Activation": ActivationLayer.self, "ReLU": ReLULayer.self,
            "Flatten": Flatten.self, "Reshape": Reshape.self, "Concatenate": Concatenate.self,
            "BatchNormalization": BatchNormalization.self, "LayerNormalization": LayerNormalization.self,
            "Normalization": Normalization.self, "Rescaling": Rescaling.self, "Embedding": Embedding.self, "Masking": MaskingLayer.self,
            "EinsumDense": EinsumDense.self, "Permute": Permute.self, "RepeatVector": RepeatVector.self, "Dot": Dot.self,
            "GroupNormalization": GroupNormalization.self, "UnitNormalization": UnitNormalization.self,
            "LeakyReLU": LeakyReLU.self, "PReLU": PReLU.self, "ELU": ELULayer.self, "Softmax": SoftmaxLayer.self,
            "Bidirectional": Bidirectional.self, "TimeDistributed": TimeDistributed.self,
            "Attention": AttentionLayer.self, "MultiHeadAttention": MultiHeadAttention.self,
            // Classes keras.applications architectures define and save (inception_resnet_v2, convnext).
            "CustomScaleLayer": CustomScaleLayer.self, "LayerScale": LayerScale.self, "StochasticDepth": IdentityAtInference.self,
        ]
        for rank in ["1D", "2D", "3D"] {
            table["MaxPooling" + rank] = Pooling.self
            table["AveragePooling" + rank] = Pooling.self
            table["ZeroPadding" + rank] = ZeroPadding.self
            table["Cropping" + rank] = Cropping.self
            table["UpSampling" + rank] = UpSampling.self
            table["Conv" + rank + "Transpose"] = TransposedConvolution.self
        }
        for depthwise in ["DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D"] { table[depthwise] = DepthwiseConvolution.self }
        for identity in ["Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout",
                         "GaussianDropout", "GaussianNoise", "ActivityRegularization", "Identity"] {
            table[identity] = IdentityAtInference.self
        }
        for convolution in ["Conv1D", "Conv2D", "Conv3D"] { table[convolution] = Convolution.self }
        for recurrent in ["SimpleRNN", "LSTM", "GRU"] { table[recurrent] = Recurrent.self }
        for merge in ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"] { table[merge] = ElementwiseMerge.self }
        for pooling in ["GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
                        "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D"] {
            table[pooling] = GlobalPooling.self
        }
        return table
    }()

    /// The model classes and the namespaces they are exported from.
    static let modelClasses: Set<String> = ["Sequential", "Functional", "Model"]

    /// Builds the layer or model described by `envelope`, like `deserialize_keras_object` (SER:433-798):
    /// safe mode refuses a lambda first; then a custom object found under the envelope's lookup name
    /// (see ``CustomObjects``) wins over everything, as in `_retrieve_class_or_fn` (SER:814-829):
    ///
    ///     # If there is a custom object registered via
    ///     # `register_keras_serializable()`, that takes precedence.
    ///     custom_obj = object_registration.get_registered_object(registered_name, custom_objects=custom_objects)
    ///     if custom_obj is not None:
    ///         return custom_obj
    ///
    /// then Keras built-ins (module `keras` or `keras.*`), else Keras's "Could not locate class" error. The
    /// object is built with `{**custom_objects, **scope, **global}` as the scope of everything nested in it
    /// (SER:769-773), so nested layers (also those a wrapper builds) see every custom object.
    static func make(_ envelope: ObjectEnvelope, options: LoadOptions) throws(ReferenceError) -> any Layer {
        if options.safeMode, let pointer = SafeMode.firstLambda(in: envelope.object.asValue, pointer: envelope.pointer) {
            throw SafeMode.refusal(at: pointer)
        }
        let envelope = LegacyConfig.translate(envelope)
        let custom = lookupName(envelope).flatMap { options.customObjects.registeredObject($0) }
        return try options.customObjects.mergedWithScopeAndGlobal().withScope { () throws(ReferenceError) -> any Layer in
            if let custom { return try custom(envelope) }
            return try makeBuiltin(envelope, options: options)
        }
    }

    /// The name custom objects are looked up under: `config.get("registered_name", class_name)` (SER:719),
    /// nil when `registered_name` is null (built-ins) or not a string.
    static func lookupName(_ envelope: ObjectEnvelope) -> String? {
        guard let registered = envelope.object["registered_name"] else { return envelope.className }
        return registered.stringValue
    }

    /// A Keras built-in, a `keras.ops` operation, or an opaque Keras class kconform has no math for.
    private static func makeBuiltin(_ envelope: ObjectEnvelope, options: LoadOptions) throws(ReferenceError) -> any Layer {
        // A legacy entry (no `module` key, FUN:553-586, SEQ:376-382) names Keras built-ins by class name.
        let isLegacy = envelope.object["module"] == nil
        let module = isLegacy ? "keras.layers" : (envelope.module ?? "")
        let isKeras = module == "keras" || module.hasPrefix("keras.")
        // `model_from_config` knows the classes of `keras.layers` (and the models) only: a recorded
        // operation or any other name without `module` is its "Unknown layer".
        let legacyKnown = KerasCallFacts.layers[envelope.className] != nil || builtins[envelope.className] != nil
            || modelClasses.contains(envelope.className)
        if isLegacy, envelope.className.contains(">") || !legacyKnown {
            throw ReferenceError(ReferenceError.Code.unknownClass,
                                 "Unknown layer: '\(envelope.className)'. Please ensure you are using a `keras.utils.custom_object_scope` and that this object is included in the scope. See https://www.tensorflow.org/guide/keras/save_and_serialize#registering_the_custom_object for details.",
                                 at: envelope.pointer)
        }
        // A legacy entry (and everything nested in it, which tf-keras may write with `module`) is read as
        // its producer meant it (docs/DIVERGENCES.md), not refused where Keras 3 would refuse it.
        if isLegacy, !KerasResolution.insideLegacy {
            do {
                return try KerasResolution.$insideLegacy.withValue(true) { () throws(ReferenceError) -> any Layer in
                    try makeBuiltin(envelope, options: options)
                }
            } catch let error as ReferenceError {
                throw error
            } catch {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "\(error)", at: envelope.pointer)
            }
        }
        if !isLegacy, isKeras, !KerasResolution.insideLegacy { try KerasResolution.check(envelope, module: module) }
        if isKeras, modelClasses.contains(envelope.className) {
            if envelope.className == "Sequential" { return try SequentialModel(envelope: envelope, options: options) }
            return try FunctionalModel(envelope: envelope, options: options)
        }
        // A `keras.ops` operation recorded in a Functional (`x * 0.5`), whatever its class name.
        if module.hasPrefix("keras.src.ops.") { return try OperationLayer(envelope: envelope) }
        let usesRegisteredName = envelope.registeredName.map { $0 != envelope.className } ?? false
        if isKeras, let type = builtins[envelope.className] {
            // `_assert_no_registered_name_for_builtin` (SER:801-812).
            if usesRegisteredName, let registered = envelope.registeredName {
                throw ReferenceError(ReferenceError.Code.unknownClass,
                                     "`registered_name=\(PythonRepr.string(registered))` was provided in the config, but '\(module).\(envelope.className)' resolved to a Keras built-in and does not use registered names. Remove the `registered_name` field from the config. Full object config: \(PythonRepr.of(envelope.object.asValue))",
                                     at: envelope.pointer)
            }
            return try type.init(envelope: envelope)
        }
        if isKeras, !usesRegisteredName { return try OpaqueLayer(envelope: envelope) }
        throw couldNotLocate(envelope)
    }

    /// `_retrieve_class_or_fn`'s last resort (SER:899-905), naming the class by `class_name`:
    ///
    ///     raise TypeError(
    ///         f"Could not locate {obj_type} '{name}'. Make sure custom classes and "
    ///         "functions are decorated with "
    ///         "`@keras.saving.register_keras_serializable()`. If they are already "
    ///         "decorated, make sure they are all imported so that the decorator is "
    ///         f"run before trying to load them. Full object config: {full_config}"
    ///     )
    static func couldNotLocate(_ envelope: ObjectEnvelope) -> ReferenceError {
        ReferenceError(ReferenceError.Code.unknownClass,
                       "Could not locate class '\(envelope.className)'. Make sure custom classes and functions are decorated with `@keras.saving.register_keras_serializable()`. If they are already decorated, make sure they are all imported so that the decorator is run before trying to load them. Full object config: \(PythonRepr.of(envelope.object.asValue))",
                       at: envelope.pointer)
    }
}

/// A layer kconform has no math for: it loads with whatever variables the file holds and re-saves them;
/// `predict` names it as not implemented.
final class OpaqueLayer: BaseLayer, @unchecked Sendable {
    /// Takes the variables from the stored object, since their shapes cannot be derived.
    func adopt(_ stored: [(shape: [Int], dtype: String)]) {
        variables = stored.enumerated().map { index, spec in Variable(name: String(index), shape: spec.shape, dtype: spec.dtype) }
    }
}

/// Safe mode (SER:679-688, LAM:169-200): lambdas are refused wherever they appear.
enum SafeMode {
    /// The JSON pointer of the first lambda under `value`: a `__lambda__` marker, or a Keras 2
    /// `function_type: "lambda"` Lambda config.
    static func firstLambda(in value: JSONValue, pointer: String) -> String? {
        switch value {
        case .object(let object):
            if object["class_name"]?.stringValue == "__lambda__" { return pointer }
            if object["function_type"]?.stringValue == "lambda" { return pointer + "/function" }
            for (key, item) in object {
                if let found = firstLambda(in: item, pointer: pointer + "/" + key) { return found }
            }
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = firstLambda(in: item, pointer: pointer + "/" + String(index)) { return found }
            }
        default:
            break
        }
        return nil
    }
}

extension JSONObject {
    var asValue: JSONValue { .object(self) }
}
