import KerasFormat

/// `InputLayer` (INP:134-142): the graph's entry; no variables, identity.
final class InputLayer: BaseLayer, @unchecked Sendable {
    private(set) var batchShape: Shape = []
    /// The input's dtype (`config.dtype`, a name or a policy's name), which a Functional casts its inputs to.
    var dtype: TensorDType? {
        let value = envelope.config["dtype"]
        return (value?.stringValue ?? value?["config"]?["name"]?.stringValue).flatMap(TensorDType.init(keras:))
    }

    required init(envelope: ObjectEnvelope) throws(ReferenceError) {
        try super.init(envelope: envelope)
        if config["batch_shape"] != nil {
            batchShape = try config.shape("batch_shape")
        } else if config["batch_input_shape"] != nil {
            batchShape = try config.shape("batch_input_shape")
        }
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] { [try single(inputs)] }
}

/// `Dense`: `activation(x · kernel + bias)` over the last axis; variables `[kernel, bias]` (DENSE 297-332),
/// or a quantized kernel's (``QuantizedKernel``) when the dtype policy is a quantized one.
final class Dense: BaseLayer, QuantizableLayer, @unchecked Sendable {
    private var kernel: Variable?
    private var bias: Variable?
    private var quantization: LayerQuantization?
    private(set) var quantizedKernel: QuantizedKernel?

    var biasVariable: Variable? { bias }

    required init(envelope: ObjectEnvelope) throws(ReferenceError) {
        try super.init(envelope: envelope)
        quantization = try LayerQuantization.of(envelope)
    }

    /// Non-quantized `[kernel, bias]`; quantized, the mode's variables in `variable_serialization_spec`
    /// order (dense.py 402-452): int8 `[kernel, bias, kernel_scale]`, int4 `[kernel, bias, kernel_scale,
    /// kernel_zero, g_idx]` (the last two per group only), float8 `[kernel, bias, inputs_scale,
    /// inputs_amax_history, kernel_scale, kernel_amax_history, outputs_grad_scale, outputs_grad_amax_history]`.
    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        let inputSize = try lastDimension(shapes)
        let units = try config.int("units")
        let useBias = try config.bool("use_bias", default: true)
        guard let quantization else {
            kernel = try addVariable("kernel", [inputSize, units])
            if useBias { bias = try addVariable("bias", [units]) }
            return
        }
        quantizedKernel = try QuantizedKernel.declare(
            quantization, kernelShape: [inputSize, units], rows: inputSize, columns: units, int8ScaleShape: [units],
            add: { (name, shape, trainable, dtype) throws(ReferenceError) -> Variable in try addVariable(name, shape, trainable: trainable, dtype: dtype) },
            addBias: { () throws(ReferenceError) in if useBias { bias = try addVariable("bias", [units]) } })
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        if let reason = quantization?.unsupported { throw ReferenceError(ReferenceError.Code.notImplemented, reason, at: name) }
        let expected = quantizedKernel?.kernelShape ?? kernel?.shape
        guard let expected else { throw ReferenceError(ReferenceError.Code.invalidConfig, "Dense was never built", at: name) }
        let (inputSize, units) = (expected[0], expected[1])
        guard x.rank >= 1, x.lastDimension == inputSize else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "expected last dimension \(inputSize), got \(x.shape)", at: name)
        }
        var product: Tensor
        if let quantizedKernel {
            product = try quantizedKernel.dense(x, units: units)
            if let bias { product = product.adding(lastAxis: quantizedKernel.bias(bias.values)) }
        } else if let kernel {
            let rows = x.shape.dropLast().reduce(1, *)
            product = Tensor(shape: Array(x.shape.dropLast()) + [units],
                             scalars: precision.round(LinearAlgebra.matmul(x.scalars, precision.round(kernel.values), m: rows, k: inputSize, n: units)))
            if let bias { product = precision.round(product.adding(lastAxis: precision.round(bias.values))) }
        } else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "Dense was never built", at: name)
        }
        let activation = try ActivationFunction.resolve(ActivationFunction.name(of: config["activation"]), layer: name)
        return [activation(product)]
    }
}

/// `Activation`: applies a named activation.
final class ActivationLayer: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let activation = try ActivationFunction.resolve(ActivationFunction.name(of: config["activation"]), layer: name)
        return [activation(try single(inputs))]
    }
}

/// Layers that are the identity at inference: the dropout family and the noise layers.
final class IdentityAtInference: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] { [try single(inputs)] }
}

/// `ReLU` with `max_value`, `negative_slope` and `threshold`.
final class ReLULayer: BaseLayer, @unchecked Sendable {
    /// Keras refuses a negative `max_value`, and a missing or negative `negative_slope` or `threshold`
    /// (RELU:44-58), so a file holding one does not load.
    required init(envelope: ObjectEnvelope) throws(ReferenceError) {
        try super.init(envelope: envelope)
        for (key, allowsNull) in [("max_value", true), ("negative_slope", false), ("threshold", false)] {
            let value = config[key]
            if value == nil || value == .null {
                if allowsNull || value == nil { continue }
                throw ReferenceError(ReferenceError.Code.invalidConfig, "\(key) of a ReLU layer cannot be None or a negative value. Received: \(key)=None", at: envelope.pointer + "/config/" + key)
            }
            let number = try config.float(key, default: 0)
            if number < 0 {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "\(key) of a ReLU layer cannot be \(allowsNull ? "a" : "None or a") negative value. Received: \(key)=\(number)", at: envelope.pointer + "/config/" + key)
            }
        }
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let maxValue = config["max_value"].flatMap { $0.doubleValue ?? $0.intValue.map(Double.init) }.map(Float.init)
        let slope = try config.float("negative_slope", default: 0)
        let threshold = try config.float("threshold", default: 0)
        return [try single(inputs).map { x in
            var y = x >= threshold ? x : slope * (x - threshold)
            if let maxValue { y = min(y, maxValue) }
            return y
        }]
    }
}

/// `Flatten`: keeps the batch dimension, flattens the rest; channels_first inputs are made channels_last first.
final class Flatten: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let input = try single(inputs)
        let x = try isChannelsFirst() ? input.channelsLast() : input
        let batch = x.shape.first ?? 1
        return [x.reshaped([batch, batch == 0 ? 0 : x.count / batch])]
    }
}

/// `Reshape`: `target_shape` after the batch dimension; one `-1` is inferred.
final class Reshape: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        guard let target = config["target_shape"]?.arrayValue?.compactMap(\.intValue) else {
            throw config.error("target_shape", "a list of integers")
        }
        let batch = x.shape.first ?? 1
        let known = target.filter { $0 != -1 }.reduce(1, *)
        let resolved = target.map { $0 == -1 ? (known == 0 ? 0 : x.count / max(batch, 1) / known) : $0 }
        guard resolved.reduce(batch, *) == x.count else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "cannot reshape \(x.shape) to \(target)", at: name)
        }
        return [x.reshaped([batch] + resolved)]
    }
}
