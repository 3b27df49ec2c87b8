import KerasFormat
import KerasJSON

/// `EinsumDense`: `activation(einsum(equation, x, kernel) + bias)`; variables `[kernel, bias]`, bias only
/// with `bias_axes`, shapes derived from the equation as Keras's `_analyze_einsum_string` does
/// (EinsumDense build, keras/src/layers/core/einsum_dense.py), or a quantized kernel's
/// (``QuantizedKernel``) when the dtype policy is a quantized one.
final class EinsumDense: BaseLayer, QuantizableLayer, @unchecked Sendable {
    private(set) var kernel: Variable?
    private(set) var bias: Variable?
    private var quantization: LayerQuantization?
    private(set) var quantizedKernel: QuantizedKernel?
    /// The equation's scale layout, for int8 and int4.
    private var quantizationInfo: EinsumQuantizationInfo?

    var biasVariable: Variable? { bias }

    required init(envelope: ObjectEnvelope) throws(ReferenceError) {
        try super.init(envelope: envelope)
        quantization = try LayerQuantization.of(envelope)
    }

    /// Non-quantized `[kernel, bias]`; quantized, the mode's variables in `variable_serialization_spec`
    /// order (einsum_dense.py 491-541): int8 `[kernel, bias, kernel_scale]` (the scale in the output's
    /// layout, `_get_kernel_scale_shape`), int4 `[kernel, bias, kernel_scale, kernel_zero, g_idx]` over the
    /// kernel flattened to `[rows, columns]` (`_int4_build`), float8 as Dense's.
    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        guard shapes.count == 1 else { throw ReferenceError(ReferenceError.Code.invalidConfig, "EinsumDense takes one input, got \(shapes)", at: name) }
        let analysis = try analyze(shapes[0])
        guard let kernelShape = knownShape(analysis.kernel) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "the kernel shape \(analysis.kernel) is not fully known", at: name)
        }
        func addBias() throws(ReferenceError) {
            guard let biasShape = analysis.bias else { return }
            guard let known = knownShape(biasShape) else {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "the bias shape \(biasShape) is not fully known", at: name)
            }
            bias = try addVariable("bias", known)
        }
        guard let quantization else {
            kernel = try addVariable("kernel", kernelShape)
            try addBias()
            return
        }
        var (rows, columns, scaleShape) = (0, 0, [Int]())
        if quantization.policy.mode != .float8 {
            let info = try EinsumQuantizationInfo(equation: try config.string("equation"), layer: name)
            quantizationInfo = info
            (rows, columns) = try info.int4Matrix(kernelShape, layer: name)
            if quantization.policy.mode == .int8 { scaleShape = try info.kernelScaleShape(kernelShape, layer: name) }
        }
        quantizedKernel = try QuantizedKernel.declare(
            quantization, kernelShape: kernelShape, rows: rows, columns: columns, int8ScaleShape: scaleShape,
            add: { (name, shape, trainable, dtype) throws(ReferenceError) -> Variable in try addVariable(name, shape, trainable: trainable, dtype: dtype) },
            addBias: addBias)
    }

    /// `output_shape` as Keras keeps it (`partial_output_shape`): an int or a list with nulls.
    private func partialOutputShape() throws(ReferenceError) -> Shape {
        guard let value = config["output_shape"] else { throw config.error("output_shape", "an integer or a list") }
        if let single = value.intValue { return [single] }
        guard let list = value.arrayValue else { throw config.error("output_shape", "an integer or a list") }
        var shape: Shape = []
        for item in list {
            if item.isNull { shape.append(nil) } else if let size = item.intValue { shape.append(size) } else {
                throw config.error("output_shape", "a list of integers or nulls")
            }
        }
        return shape
    }

    /// `_analyze_einsum_string` / `_analyze_split_string`: the kernel and bias shapes for `inputShape`.
    private func analyze(_ inputShape: Shape) throws(ReferenceError) -> (kernel: Shape, bias: Shape?) {
        let equation = try config.string("equation")
        let replaced = equation.replacingOccurrences(of: "...", with: "0")
        let parts = replaced.components(separatedBy: "->")
        let operands = parts.first?.components(separatedBy: ",") ?? []
        guard parts.count == 2, operands.count == 2 else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "Invalid einsum equation '\(equation)'", at: name)
        }
        var (inputSpec, weightSpec, outputSpec) = (operands[0], operands[1], parts[1])
        var leftElided = false
        if inputSpec.hasPrefix("0"), outputSpec.hasPrefix("0") {
            leftElided = true
            inputSpec.removeFirst()
            outputSpec.removeFirst()
        } else if inputSpec.hasSuffix("0"), outputSpec.hasSuffix("0") {
            inputSpec.removeLast()
            outputSpec.removeLast()
        }
        let (input, weight, out) = (Array(inputSpec), Array(weightSpec), Array(outputSpec))
        guard (input + weight + out).allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "Invalid einsum equation '\(equation)'", at: name)
        }
        let elided = inputShape.count - input.count
        var outputShape = try partialOutputShape()
        outputShape.insert(inputShape.first ?? nil, at: 0)
        if elided > 0, leftElided {
            for index in 1..<max(elided, 1) { outputShape.insert(inputShape[index], at: 1) }
        } else if elided > 0 {
            outputShape += inputShape[(inputShape.count - elided)...]
        }
        var inputIndex: [Character: Int] = [:]
        var outputIndex: [Character: Int] = [:]
        for (position, label) in input.enumerated() { inputIndex[label] = leftElided ? position + elided : position }
        for (position, label) in out.enumerated() { outputIndex[label] = leftElided ? position + elided : position }
        func at(_ shape: Shape, _ index: Int) throws(ReferenceError) -> Int? {
            guard index >= 0, index < shape.count else {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "equation \(equation) does not fit input shape \(inputShape)", at: name)
            }
            return shape[index]
        }
        var kernelShape: Shape = []
        for label in weight {
            if let index = outputIndex[label] {
                kernelShape.append(try at(outputShape, index))
            } else if let index = inputIndex[label] {
                kernelShape.append(try at(inputShape, index))
            } else {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "Weight dimension '\(label)' did not have a match in either the input spec or the output spec", at: name)
            }
        }
        guard let biasAxes = config["bias_axes"]?.stringValue else { return (kernelShape, nil) }
        let offset = leftElided ? elided : 0
        var sizes: [Character: Int?] = [:]
        for (position, label) in out.enumerated() { sizes[label] = try at(outputShape, position + offset) }
        guard let first = biasAxes.compactMap({ out.firstIndex(of: $0) }).min(), biasAxes.allSatisfy({ out.contains($0) }) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "bias_axes \(biasAxes) are not all in the output spec", at: name)
        }
        var biasShape: Shape = out[first...].map { biasAxes.contains($0) ? (sizes[$0] ?? nil) : 1 }
        if !leftElided, elided > 0 { biasShape += [Int?](repeating: 1, count: elided) }
        return (kernelShape, biasShape)
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        if let reason = quantization?.unsupported { throw ReferenceError(ReferenceError.Code.notImplemented, reason, at: name) }
        var output: Tensor
        if let quantizedKernel {
            output = try quantizedKernel.einsum(x, equation: try config.string("equation"), info: quantizationInfo, layer: name)
            if let bias {
                let values = Tensor(shape: bias.shape, scalars: quantizedKernel.bias(bias.values))
                guard let sum = output.broadcast(with: values, +), sum.shape == output.shape else {
                    throw ReferenceError(ReferenceError.Code.inputMismatch, "bias \(bias.shape) does not broadcast to \(output.shape)", at: name)
                }
                output = sum
            }
        } else {
            guard let kernel else { throw ReferenceError(ReferenceError.Code.invalidConfig, "EinsumDense was never built", at: name) }
            let einsum = try Einsum(try config.string("equation"), leftRank: x.rank, rightRank: kernel.shape.count, layer: name)
            output = precision.round(try einsum.apply(x, Tensor(shape: kernel.shape, scalars: precision.round(kernel.values)), layer: name))
            if let bias {
                guard let sum = output.broadcast(with: Tensor(shape: bias.shape, scalars: precision.round(bias.values)), +), sum.shape == output.shape else {
                    throw ReferenceError(ReferenceError.Code.inputMismatch, "bias \(bias.shape) does not broadcast to \(output.shape)", at: name)
                }
                output = precision.round(sum)
            }
        }
        let activation = try ActivationFunction.resolve(ActivationFunction.name(of: config["activation"]), layer: name)
        return [activation(output)]
    }
}
