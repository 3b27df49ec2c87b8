import KerasFormat

/// `DepthwiseConv1D/2D` (variables `[kernel (*kernel_size, in, depth_multiplier), bias (in * depth_multiplier)]`)
/// and `SeparableConv1D/2D` (`[depthwise_kernel, pointwise_kernel (1…, in * depth_multiplier, filters), bias]`),
/// channels_last (channels_first through a transpose): output channel `c * depth_multiplier + m` of the depthwise step reads input channel `c`
/// (`ops.depthwise_conv`, `ops.separable_conv`: a depthwise step then a 1×1 convolution).
final class DepthwiseConvolution: BaseLayer, @unchecked Sendable {
    private var depthwiseKernel: Variable?
    private var pointwiseKernel: Variable?
    private var bias: Variable?

    private var rank: Int { className.hasSuffix("1D") ? 1 : 2 }
    private var isSeparable: Bool { className.hasPrefix("Separable") }

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        let channels = try lastDimension(try channelsLastShapes(shapes))
        let multiplier = try config.int("depth_multiplier", default: 1)
        let kernelSize = try config.ints("kernel_size", count: rank)
        if isSeparable {
            let filters = try config.int("filters")
            depthwiseKernel = try addVariable("depthwise_kernel", kernelSize + [channels, multiplier])
            pointwiseKernel = try addVariable("pointwise_kernel", [Int](repeating: 1, count: rank) + [channels * multiplier, filters])
            if try config.bool("use_bias", default: true) { bias = try addVariable("bias", [filters]) }
        } else {
            depthwiseKernel = try addVariable("kernel", kernelSize + [channels, multiplier])
            if try config.bool("use_bias", default: true) { bias = try addVariable("bias", [channels * multiplier]) }
        }
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        [try activated(try inChannelsLast(try single(inputs), convolve))]
    }

    private func convolve(_ x: Tensor) throws(ReferenceError) -> Tensor {
        guard let depthwiseKernel, x.rank == rank + 2, x.shape[rank + 1] == depthwiseKernel.shape[rank] else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) expects rank \(rank + 2) input matching its kernel, got \(x.shape)", at: name)
        }
        let geometry = try SpatialGeometry(config: config, rank: rank, input: Array(x.shape[1...rank]),
                                           kernel: Array(depthwiseKernel.shape[0..<rank]), layer: name)
        var output = precision.round(Self.depthwise(x, kernel: precision.round(depthwiseKernel.values),
                                                    multiplier: depthwiseKernel.shape[rank + 1], geometry: geometry))
        if let pointwiseKernel {
            let (inner, filters) = (pointwiseKernel.shape[rank], pointwiseKernel.shape[rank + 1])
            let rows = output.count / inner
            let product = LinearAlgebra.matmul(output.scalars, precision.round(pointwiseKernel.values), m: rows, k: inner, n: filters)
            output = Tensor(shape: Array(output.shape.dropLast()) + [filters], scalars: precision.round(product))
        }
        if let bias { output = precision.round(output.adding(lastAxis: precision.round(bias.values))) }
        return output
    }

    /// The depthwise step: every input channel convolved with its own `multiplier` filters. Each output
    /// element sums its taps in ascending kernel position from 0, skipping the padding.
    static func depthwise(_ x: Tensor, kernel: [Float], multiplier: Int, geometry: SpatialGeometry) -> Tensor {
        if multiplier == 1, geometry.input.count <= 2 { return planar(x, kernel: kernel, geometry: geometry) }
        let rank = geometry.input.count
        let (batch, channels) = (x.shape[0], x.shape[rank + 1])
        let width = channels * multiplier
        let inputCount = geometry.input.reduce(1, *)
        let outCount = geometry.output.reduce(1, *)
        let kernelPositions = geometry.kernel.reduce(1, *)
        let kernelOffsets = (0..<kernelPositions).map { geometry.unflatten($0, geometry.kernel) }
        var result = [Float](repeating: 0, count: batch * outCount * width)
        x.scalars.withUnsafeBufferPointer { input in
            kernel.withUnsafeBufferPointer { weights in
                result.withUnsafeMutableBufferPointer { out in
                    for outIndex in 0..<outCount {
                        let outPosition = geometry.unflatten(outIndex, geometry.output)
                        for (kernelIndex, offset) in kernelOffsets.enumerated() {
                            guard let source = geometry.inputIndex(output: outPosition, kernel: offset) else { continue }
                            let kernelBase = kernelIndex * width
                            for sample in 0..<batch {
                                let inBase = (sample * inputCount + source) * channels
                                let outBase = (sample * outCount + outIndex) * width
                                for channel in 0..<channels {
                                    let value = input[inBase + channel]
                                    for m in 0..<multiplier {
                                        out[outBase + channel * multiplier + m] += value * weights[kernelBase + channel * multiplier + m]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [batch] + geometry.output + [width], scalars: result)
    }

    /// The depthwise step with one filter per channel in one or two spatial dimensions (a 1D input is a
    /// 2D one of height 1): per output pixel the taps inside the input, then 16 channels at a time in
    /// registers; output rows split over the cores.
    private static func planar(_ x: Tensor, kernel: [Float], geometry: SpatialGeometry) -> Tensor {
        let flat = geometry.input.count == 1
        func axis(_ values: [Int], _ index: Int, _ fallback: Int) -> Int { flat ? (index == 0 ? fallback : values[0]) : values[index] }
        let (height, width) = (axis(geometry.input, 0, 1), axis(geometry.input, 1, 1))
        let (kernelHeight, kernelWidth) = (axis(geometry.kernel, 0, 1), axis(geometry.kernel, 1, 1))
        let (strideY, strideX) = (axis(geometry.strides, 0, 1), axis(geometry.strides, 1, 1))
        let (dilationY, dilationX) = (axis(geometry.dilation, 0, 1), axis(geometry.dilation, 1, 1))
        let (padTop, padLeft) = (axis(geometry.padBefore, 0, 0), axis(geometry.padBefore, 1, 0))
        let (outHeight, outWidth) = (axis(geometry.output, 0, 1), axis(geometry.output, 1, 1))
        let batch = x.shape[0]
        let channels = x.shape[x.rank - 1]
        let count = batch * outHeight * outWidth * channels
        let outputRows = batch * outHeight
        let (work, overflow) = count.multipliedReportingOverflow(by: kernelHeight * kernelWidth)
        let chunks = ParallelWork.chunks(work: overflow ? Int.max : work, limit: outputRows)
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            defer { initialized = count }
            x.scalars.withUnsafeBufferPointer { input in
                kernel.withUnsafeBufferPointer { weights in
                    guard let out = buffer.baseAddress, let input = input.baseAddress, let weights = weights.baseAddress else {
                        buffer.initialize(repeating: 0)
                        return
                    }
                    ParallelWork.run(chunks) { chunk in
                        // Per output pixel: (input offset, weight offset) of each tap inside the input.
                        var taps = [(Int, Int)]()
                        taps.reserveCapacity(kernelHeight * kernelWidth)
                        for outputRow in ParallelWork.range(chunk, of: chunks, total: outputRows) {
                            let (sample, outY) = outputRow.quotientAndRemainder(dividingBy: outHeight)
                            for outX in 0..<outWidth {
                                taps.removeAll(keepingCapacity: true)
                                for kernelY in 0..<kernelHeight {
                                    let inY = outY * strideY + kernelY * dilationY - padTop
                                    guard inY >= 0, inY < height else { continue }
                                    for kernelX in 0..<kernelWidth {
                                        let inX = outX * strideX + kernelX * dilationX - padLeft
                                        guard inX >= 0, inX < width else { continue }
                                        taps.append((((sample * height + inY) * width + inX) * channels, (kernelY * kernelWidth + kernelX) * channels))
                                    }
                                }
                                let target = out + (outputRow * outWidth + outX) * channels
                                accumulate(taps, input, weights, into: target, channels: channels)
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [batch] + geometry.output + [channels], scalars: scalars)
    }

    /// `target[c] = Σ input[i + c] * weights[w + c]` over `taps` `(i, w)` in order, from 0.
    @inline(__always)
    private static func accumulate(_ taps: [(Int, Int)], _ input: UnsafePointer<Float>, _ weights: UnsafePointer<Float>,
                                   into target: UnsafeMutablePointer<Float>, channels: Int) {
        typealias Block = SIMD16<Float>
        let lanes = Block.scalarCount
        var channel = 0
        while channel + lanes <= channels {
            var sum = Block()
            for (source, weight) in taps {
                sum += UnsafeRawPointer(input + source + channel).loadUnaligned(as: Block.self)
                    * UnsafeRawPointer(weights + weight + channel).loadUnaligned(as: Block.self)
            }
            UnsafeMutableRawPointer(target + channel).storeBytes(of: sum, as: Block.self)
            channel += lanes
        }
        while channel < channels {
            var sum: Float = 0
            for (source, weight) in taps { sum += input[source + channel] * weights[weight + channel] }
            target[channel] = sum
            channel += 1
        }
    }
}
