import KerasFormat

/// `Conv1DTranspose`, `Conv2DTranspose`, `Conv3DTranspose` (channels_last; channels_first through a transpose): kernel
/// `(*kernel_size, filters, in)`, bias `(filters,)`; computed as `jax.lax.conv_transpose` with the padding
/// Keras derives (`_convert_conv_transpose_padding_args_from_keras_to_jax`): the input dilated by `strides`,
/// padded `(left, right)`, correlated with the spatially flipped kernel dilated by `dilation_rate`.
final class TransposedConvolution: BaseLayer, @unchecked Sendable {
    private var kernel: Variable?
    private var bias: Variable?

    private var rank: Int { className.hasPrefix("Conv1D") ? 1 : className.hasPrefix("Conv3D") ? 3 : 2 }

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        let channels = try lastDimension(try channelsLastShapes(shapes))
        let filters = try config.int("filters")
        kernel = try addVariable("kernel", try config.ints("kernel_size", count: rank) + [filters, channels])
        if try config.bool("use_bias", default: true) { bias = try addVariable("bias", [filters]) }
    }

    /// `(left, right)` padding of one axis for JAX (backend_utils.py).
    static func padding(kernel: Int, stride: Int, dilation: Int, padding: String, outputPadding: Int?) -> (Int, Int) {
        let span = (kernel - 1) * dilation + 1
        if padding == "valid" {
            let extra = outputPadding ?? (max(span, stride) - span)
            return (span - 1, span - 1 + extra)
        }
        let total = outputPadding.map { span + span % 2 - 2 + $0 } ?? (stride + span - 2)
        let left = min(total / 2 + total % 2, span - 1)
        return (left, total - left)
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        [try activated(try inChannelsLast(try single(inputs), convolve))]
    }

    private func convolve(_ x: Tensor) throws(ReferenceError) -> Tensor {
        guard let kernel, x.rank == rank + 2, x.shape[rank + 1] == kernel.shape[rank + 1] else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) expects rank \(rank + 2) input matching its kernel, got \(x.shape)", at: name)
        }
        let ones = [Int](repeating: 1, count: rank)
        let strides = try config.ints("strides", count: rank, default: ones)
        let dilation = try config.ints("dilation_rate", count: rank, default: ones)
        let paddingMode = try config.string("padding", default: "valid").lowercased()
        guard paddingMode == "valid" || paddingMode == "same" else { throw config.error("padding", "valid or same") }
        let outputPadding: [Int?] = config["output_padding"] == nil ? [Int?](repeating: nil, count: rank)
            : try config.ints("output_padding", count: rank).map(Optional.some)
        guard strides.allSatisfy({ $0 > 0 }), dilation.allSatisfy({ $0 > 0 }) else { throw config.error("strides", "positive") }
        let kernelSize = Array(kernel.shape[0..<rank])
        let (filters, channels) = (kernel.shape[rank], kernel.shape[rank + 1])
        let input = Array(x.shape[1...rank])
        var output: [Int] = []
        var shift: [Int] = []
        for axis in 0..<rank {
            let (left, right) = Self.padding(kernel: kernelSize[axis], stride: strides[axis], dilation: dilation[axis],
                                             padding: paddingMode, outputPadding: outputPadding[axis])
            let span = (kernelSize[axis] - 1) * dilation[axis] + 1
            output.append(max(0, (input[axis] - 1) * strides[axis] + 1 + left + right - span + 1))
            shift.append(left - (span - 1))
        }
        let geometry = try SpatialGeometry(input: input, kernel: kernelSize, strides: ones, dilation: ones, padding: "valid", layer: name)
        let batch = x.shape[0]
        let (inputCount, outCount, kernelCount) = (input.reduce(1, *), output.reduce(1, *), kernelSize.reduce(1, *))
        let weights = precision.round(kernel.values)
        // Every input row times the kernel as `in × (kernel positions * filters)`, then scattered (col2im).
        let columns = kernelCount * filters
        var transposedKernel = [Float](repeating: 0, count: channels * columns)
        for column in 0..<columns {
            for channel in 0..<channels { transposedKernel[channel * columns + column] = weights[column * channels + channel] }
        }
        let product = LinearAlgebra.matmul(x.scalars, transposedKernel, m: batch * inputCount, k: channels, n: columns)
        var result = [Float](repeating: 0, count: batch * outCount * filters)
        let kernelOffsets = (0..<kernelCount).map { geometry.unflatten($0, kernelSize) }
        for inIndex in 0..<inputCount {
            let inPosition = geometry.unflatten(inIndex, input)
            for (kernelIndex, offset) in kernelOffsets.enumerated() {
                // Input i lands on output i * stride + j * dilation + left - (span - 1) for kernel index j.
                var target = 0
                var inside = true
                for axis in 0..<rank {
                    let coordinate = inPosition[axis] * strides[axis] + offset[axis] * dilation[axis] + shift[axis]
                    guard coordinate >= 0, coordinate < output[axis] else { inside = false; break }
                    target = target * output[axis] + coordinate
                }
                guard inside else { continue }
                for sample in 0..<batch {
                    let from = (sample * inputCount + inIndex) * columns + kernelIndex * filters
                    let to = (sample * outCount + target) * filters
                    for filter in 0..<filters { result[to + filter] += product[from + filter] }
                }
            }
        }
        var out = Tensor(shape: [batch] + output + [filters], scalars: precision.round(result))
        if let bias { out = precision.round(out.adding(lastAxis: precision.round(bias.values))) }
        return out
    }
}
