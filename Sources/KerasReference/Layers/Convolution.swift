import KerasFormat

/// `Conv1D`, `Conv2D`, `Conv3D` (channels_last): kernel `(*kernel_size, in/groups, filters)`, bias
/// `(filters,)`; strides, dilation, `valid`/`same`/`causal` padding and groups as Keras computes them.
final class Convolution: BaseLayer, @unchecked Sendable {
    private var kernel: Variable?
    private var bias: Variable?

    /// The number of spatial dimensions, from the class name.
    private var rank: Int { className.hasSuffix("1D") ? 1 : className.hasSuffix("3D") ? 3 : 2 }

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        guard try config.string("data_format", default: "channels_last") == "channels_last" else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "channels_first convolution is not implemented", at: name)
        }
        let channels = try lastDimension(shapes)
        let groups = try config.int("groups", default: 1)
        let filters = try config.int("filters")
        guard groups > 0, channels % groups == 0, filters % groups == 0 else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "groups \(groups) must divide \(channels) input channels and \(filters) filters", at: name)
        }
        kernel = addVariable("kernel", try config.ints("kernel_size", count: rank) + [channels / groups, filters])
        if try config.bool("use_bias", default: true) { bias = addVariable("bias", [filters]) }
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        guard let kernel, x.rank == rank + 2 else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) expects rank \(rank + 2) input, got \(x.shape)", at: name)
        }
        let geometry = try SpatialGeometry(config: config, rank: rank, input: Array(x.shape[1...rank]),
                                           kernel: Array(kernel.shape[0..<rank]), layer: name)
        let groups = try config.int("groups", default: 1)
        let (inChannels, filters) = (x.shape[rank + 1], kernel.shape[rank + 1])
        let (groupIn, groupOut) = (inChannels / groups, filters / groups)
        let batch = x.shape[0]
        let outCount = geometry.output.reduce(1, *)
        let kernelPositions = geometry.kernel.reduce(1, *)
        var result = [Float](repeating: 0, count: batch * outCount * filters)
        let weights = precision.round(kernel.values)
        for sample in 0..<batch {
            for outIndex in 0..<outCount {
                let outPosition = geometry.unflatten(outIndex, geometry.output)
                for kernelIndex in 0..<kernelPositions {
                    let kernelPosition = geometry.unflatten(kernelIndex, geometry.kernel)
                    guard let inIndex = geometry.inputIndex(output: outPosition, kernel: kernelPosition) else { continue }
                    let inBase = (sample * geometry.input.reduce(1, *) + inIndex) * inChannels
                    let kernelBase = kernelIndex * groupIn * filters
                    let outBase = (sample * outCount + outIndex) * filters
                    for group in 0..<groups {
                        for channel in 0..<groupIn {
                            let value = x.scalars[inBase + group * groupIn + channel]
                            let row = kernelBase + channel * filters + group * groupOut
                            for filter in 0..<groupOut {
                                result[outBase + group * groupOut + filter] += value * weights[row + filter]
                            }
                        }
                    }
                }
            }
        }
        var output = Tensor(shape: [batch] + geometry.output + [filters], scalars: precision.round(result))
        if let bias { output = precision.round(output.adding(lastAxis: precision.round(bias.values))) }
        let activation = try ActivationFunction.resolve(ActivationFunction.name(of: config["activation"]), layer: name)
        return [activation(output)]
    }
}

/// Output size and padding of a sliding window (Keras `compute_conv_output_shape`, XLA `SAME` padding).
struct SpatialGeometry {
    let input: [Int]
    let kernel: [Int]
    let strides: [Int]
    let dilation: [Int]
    let output: [Int]
    let padBefore: [Int]

    init(config: ConfigReader, rank: Int, input: [Int], kernel: [Int], layer: String,
         stridesKey: String = "strides", dilationKey: String = "dilation_rate") throws(ReferenceError) {
        self.input = input
        self.kernel = kernel
        strides = try config.ints(stridesKey, count: rank, default: [Int](repeating: 1, count: rank))
        dilation = try config.ints(dilationKey, count: rank, default: [Int](repeating: 1, count: rank))
        let padding = try config.string("padding", default: "valid")
        var output: [Int] = []
        var before: [Int] = []
        for axis in 0..<rank {
            let span = dilation[axis] * (kernel[axis] - 1) + 1
            switch padding {
            case "valid":
                output.append(max(0, (input[axis] - span) / strides[axis] + 1))
                before.append(0)
            case "same":
                let size = (input[axis] + strides[axis] - 1) / strides[axis]
                let total = max(0, (size - 1) * strides[axis] + span - input[axis])
                output.append(size)
                before.append(total / 2)
            case "causal" where rank == 1:
                output.append((input[axis] + strides[axis] - 1) / strides[axis])
                before.append(span - 1)
            default:
                throw ReferenceError(ReferenceError.Code.invalidConfig, "padding \(padding) is not valid here", at: layer)
            }
        }
        self.output = output
        padBefore = before
        guard strides.allSatisfy({ $0 > 0 }), dilation.allSatisfy({ $0 > 0 }) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "strides and dilation must be positive", at: layer)
        }
    }

    func unflatten(_ index: Int, _ dimensions: [Int]) -> [Int] {
        var remainder = index
        var position = [Int](repeating: 0, count: dimensions.count)
        for axis in stride(from: dimensions.count - 1, through: 0, by: -1) {
            position[axis] = remainder % dimensions[axis]
            remainder /= dimensions[axis]
        }
        return position
    }

    /// The flat input index under kernel offset `kernel` of output `output`, nil in the padding.
    func inputIndex(output position: [Int], kernel offset: [Int]) -> Int? {
        var index = 0
        for axis in 0..<input.count {
            let coordinate = position[axis] * strides[axis] + offset[axis] * dilation[axis] - padBefore[axis]
            guard coordinate >= 0, coordinate < input[axis] else { return nil }
            index = index * input[axis] + coordinate
        }
        return index
    }
}
