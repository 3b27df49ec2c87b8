import KerasFormat
import KerasJSON

/// Built-in layer classes by exported name (`keras.layers.<Name>`), and the construction of any layer
/// envelope with Keras's rules: models, built-ins, unknown built-ins (opaque), custom objects.
enum LayerRegistry {
    static let builtins: [String: BaseLayer.Type] = {
        var table: [String: BaseLayer.Type] = [
            "InputLayer": InputLayer.self, "Dense": Dense.self, "Activation": ActivationLayer.self, "ReLU": ReLULayer.self,
            "Flatten": Flatten.self, "Reshape": Reshape.self, "Concatenate": Concatenate.self,
            "BatchNormalization": BatchNormalization.self, "LayerNormalization": LayerNormalization.self,
            "Normalization": Normalization.self, "Rescaling": Rescaling.self, "Embedding": Embedding.self,
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

    /// Builds the layer or model described by `envelope`.
    static func make(_ envelope: ObjectEnvelope, options: LoadOptions) throws(ReferenceError) -> any Layer {
        if options.safeMode, let pointer = SafeMode.firstLambda(in: envelope.object.asValue, pointer: envelope.pointer) {
            throw ReferenceError(ReferenceError.Code.unsafeLambda,
                                 "Requested the deserialization of a Python lambda; it is refused in safe mode (pass safeMode: false to load it; kconform never runs it)",
                                 at: pointer)
        }
        let module = envelope.module ?? "keras.layers"
        let isKeras = module == "keras" || module.hasPrefix("keras.")
        if isKeras, modelClasses.contains(envelope.className) {
            if envelope.className == "Sequential" { return try SequentialModel(envelope: envelope, options: options) }
            return try FunctionalModel(envelope: envelope, options: options)
        }
        // A `keras.ops` operation recorded in a Functional (`x * 0.5`), whatever its class name.
        if module.hasPrefix("keras.src.ops.") { return try OperationLayer(envelope: envelope) }
        // A quantized EinsumDense keeps the variables its file holds; its math is not implemented.
        if isKeras, envelope.className == "EinsumDense", envelope.config["dtype"]?["class_name"]?.stringValue == "QuantizedDTypePolicy" {
            return try OpaqueLayer(envelope: envelope)
        }
        if isKeras, let type = builtins[envelope.className] { return try type.init(envelope: envelope) }
        if isKeras, envelope.registeredName == nil || envelope.registeredName == envelope.className {
            return try OpaqueLayer(envelope: envelope)
        }
        throw ReferenceError(ReferenceError.Code.unknownClass,
                             "Could not locate class '\(envelope.registeredName ?? envelope.className)'. Make sure custom classes are decorated with `@keras.saving.register_keras_serializable()`",
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
