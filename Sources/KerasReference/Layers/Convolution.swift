import KerasFormat

/// `Conv1D`, `Conv2D`, `Conv3D` (channels_last, or channels_first through a transpose): kernel `(*kernel_size, in/groups, filters)`, bias
/// `(filters,)`; strides, dilation, `valid`/`same`/`causal` padding and groups as Keras computes them.
final class Convolution: BaseLayer, @unchecked Sendable {
    private var kernel: Variable?
    private var bias: Variable?

    /// The number of spatial dimensions, from the class name.
    private var rank: Int { className.hasSuffix("1D") ? 1 : className.hasSuffix("3D") ? 3 : 2 }

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        let channels = try lastDimension(try channelsLastShapes(shapes))
        let groups = try config.int("groups", default: 1)
        let filters = try config.int("filters")
        guard groups > 0, channels % groups == 0, filters % groups == 0 else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "groups \(groups) must divide \(channels) input channels and \(filters) filters", at: name)
        }
        kernel = try addVariable("kernel", try config.ints("kernel_size", count: rank) + [channels / groups, filters])
        if try config.bool("use_bias", default: true) { bias = try addVariable("bias", [filters]) }
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        [try activated(try inChannelsLast(try single(inputs), convolve))]
    }

    private func convolve(_ x: Tensor) throws(ReferenceError) -> Tensor {
        guard let kernel, x.rank == rank + 2 else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) expects rank \(rank + 2) input, got \(x.shape)", at: name)
        }
        let geometry = try SpatialGeometry(config: config, rank: rank, input: Array(x.shape[1...rank]),
                                           kernel: Array(kernel.shape[0..<rank]), layer: name)
        let groups = try config.int("groups", default: 1)
        let (inChannels, filters) = (x.shape[rank + 1], kernel.shape[rank + 1])
        let (groupIn, groupOut) = (inChannels / groups, filters / groups)
        guard groups > 0, inChannels == kernel.shape[rank] * groups else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) kernel \(kernel.shape) does not fit input \(x.shape)", at: name)
        }
        let batch = x.shape[0]
        let outCount = geometry.output.reduce(1, *)
        let weights = precision.round(kernel.values)
        // A 1×1 window with stride 1 and no padding reads every input position once: x is its own im2col.
        let pointwise = groups == 1 && geometry.isPointwise
        let sources = pointwise ? [] : geometry.patchSources()
        let kernelPositions = geometry.kernel.reduce(1, *)
        var result = groups == 1 ? [] : [Float](repeating: 0, count: batch * outCount * filters)
        // im2col per group: rows are (sample, output position), columns (kernel position, channel).
        for group in 0..<groups {
            let patches = pointwise ? x.scalars
                : geometry.patches(x, sources: sources, channelOffset: group * groupIn, channels: groupIn)
            let groupKernel: [Float]
            if groups == 1 {
                groupKernel = weights
            } else {
                var slice = [Float](repeating: 0, count: kernelPositions * groupIn * groupOut)
                for row in 0..<(kernelPositions * groupIn) {
                    for filter in 0..<groupOut { slice[row * groupOut + filter] = weights[row * filters + group * groupOut + filter] }
                }
                groupKernel = slice
            }
            let product = LinearAlgebra.matmul(patches, groupKernel, m: batch * outCount, k: kernelPositions * groupIn, n: groupOut)
            if groups == 1 {
                result = product
            } else {
                for row in 0..<(batch * outCount) {
                    for filter in 0..<groupOut { result[row * filters + group * groupOut + filter] = product[row * groupOut + filter] }
                }
            }
        }
        var output = Tensor(shape: [batch] + geometry.output + [filters], scalars: precision.round(result))
        if let bias { output = precision.round(output.adding(lastAxis: precision.round(bias.values))) }
        return output
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
        try self.init(input: input, kernel: kernel,
                      strides: try config.ints(stridesKey, count: rank, default: [Int](repeating: 1, count: rank)),
                      dilation: try config.ints(dilationKey, count: rank, default: [Int](repeating: 1, count: rank)),
                      padding: try config.string("padding", default: "valid"), layer: layer)
    }

    init(input: [Int], kernel: [Int], strides: [Int], dilation: [Int], padding: String, layer: String) throws(ReferenceError) {
        let rank = input.count
        guard kernel.count == rank, strides.count == rank, dilation.count == rank,
              strides.allSatisfy({ $0 > 0 }), dilation.allSatisfy({ $0 > 0 }), kernel.allSatisfy({ $0 > 0 })
        else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "kernel \(kernel), strides \(strides) and dilation \(dilation) must be positive, one per spatial axis", at: layer)
        }
        self.input = input
        self.kernel = kernel
        self.strides = strides
        self.dilation = dilation
        var output: [Int] = []
        var before: [Int] = []
        for axis in 0..<rank {
            let span = dilation[axis] * (kernel[axis] - 1) + 1
            switch padding.lowercased() {
            case "valid":
                output.append(input[axis] >= span ? (input[axis] - span) / strides[axis] + 1 : 0)
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

    /// Whether every output position reads exactly its own input position (a 1×1 window, stride 1, no padding).
    var isPointwise: Bool {
        kernel.allSatisfy { $0 == 1 } && strides.allSatisfy { $0 == 1 } && padBefore.allSatisfy { $0 == 0 } && output == input
    }

    /// For every output position then kernel position, the flat input position it reads (-1 in the padding).
    func patchSources() -> [Int] {
        let outCount = output.reduce(1, *)
        let kernelCount = kernel.reduce(1, *)
        let offsets = (0..<kernelCount).map { unflatten($0, kernel) }
        var sources = [Int](repeating: -1, count: outCount * kernelCount)
        var position = [Int](repeating: 0, count: output.count)
        for outIndex in 0..<outCount {
            for (kernelIndex, offset) in offsets.enumerated() {
                sources[outIndex * kernelCount + kernelIndex] = inputIndex(output: position, kernel: offset) ?? -1
            }
            var axis = output.count - 1
            while axis >= 0 {
                position[axis] += 1
                if position[axis] < output[axis] { break }
                position[axis] = 0
                axis -= 1
            }
        }
        return sources
    }

    /// The im2col matrix of channels `[channelOffset, channelOffset + channels)` of a channels_last `x`:
    /// `(batch * outputs) × (kernel positions * channels)`, zeros in the padding.
    func patches(_ x: Tensor, sources: [Int], channelOffset: Int, channels: Int) -> [Float] {
        let batch = x.shape[0]
        let inChannels = x.shape[x.rank - 1]
        let inputCount = input.reduce(1, *)
        let perSample = sources.count
        return [Float](unsafeUninitializedCapacity: batch * perSample * channels) { matrix, initialized in
            x.scalars.withUnsafeBufferPointer { input in
                sources.withUnsafeBufferPointer { sources in
                    guard let matrix = matrix.baseAddress else { return }
                    for sample in 0..<batch {
                        for (slot, source) in sources.enumerated() {
                            let to = matrix + (sample * perSample + slot) * channels
                            if source >= 0, let input = input.baseAddress {
                                to.update(from: input + (sample * inputCount + source) * inChannels + channelOffset, count: channels)
                            } else {
                                to.update(repeating: 0, count: channels)
                            }
                        }
                    }
                }
            }
            initialized = batch * perSample * channels
        }
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
