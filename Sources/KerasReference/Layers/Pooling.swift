import KerasFormat

/// `MaxPooling1D/2D/3D` and `AveragePooling1D/2D/3D` (channels_last; channels_first through a transpose): `lax.reduce_window` over
/// `pool_size` windows with `strides` (default `pool_size`); `same` padding ignores the padded positions,
/// and the average divides by the number of real positions in each window, as Keras's JAX backend does.
final class Pooling: BaseLayer, @unchecked Sendable {
    private var rank: Int { className.hasSuffix("1D") ? 1 : className.hasSuffix("3D") ? 3 : 2 }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        [try inChannelsLast(try single(inputs), pool)]
    }

    private func pool(_ x: Tensor) throws(ReferenceError) -> Tensor {
        guard x.rank == rank + 2 else { throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) expects rank \(rank + 2), got \(x.shape)", at: name) }
        let poolSize = try config.ints("pool_size", count: rank)
        let strides = try config.ints("strides", count: rank, default: poolSize)
        let geometry = try SpatialGeometry(input: Array(x.shape[1...rank]), kernel: poolSize, strides: strides,
                                           dilation: [Int](repeating: 1, count: rank),
                                           padding: try config.string("padding", default: "valid"), layer: name)
        let isMax = className.hasPrefix("Max")
        let (batch, channels) = (x.shape[0], x.shape[rank + 1])
        let inputCount = geometry.input.reduce(1, *)
        let outCount = geometry.output.reduce(1, *)
        let windowCount = poolSize.reduce(1, *)
        let windowOffsets = (0..<windowCount).map { geometry.unflatten($0, poolSize) }
        var result = [Float](repeating: isMax ? -.infinity : 0, count: batch * outCount * channels)
        var accumulator = [Float](repeating: 0, count: channels)
        for outIndex in 0..<outCount {
            let outPosition = geometry.unflatten(outIndex, geometry.output)
            let sources = windowOffsets.compactMap { geometry.inputIndex(output: outPosition, kernel: $0) }
            for sample in 0..<batch {
                for channel in 0..<channels { accumulator[channel] = isMax ? -.infinity : 0 }
                for source in sources {
                    let base = (sample * inputCount + source) * channels
                    for channel in 0..<channels {
                        let value = x.scalars[base + channel]
                        accumulator[channel] = isMax ? max(accumulator[channel], value) : accumulator[channel] + value
                    }
                }
                let outBase = (sample * outCount + outIndex) * channels
                let divisor = Float(sources.count)
                for channel in 0..<channels { result[outBase + channel] = isMax ? accumulator[channel] : accumulator[channel] / divisor }
            }
        }
        return Tensor(shape: [batch] + geometry.output + [channels], scalars: precision.round(result))
    }
}
