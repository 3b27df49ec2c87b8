import Foundation
import KerasFormat

/// The axis a normalization layer works on, as a non-negative index into `rank` dimensions.
private func resolvedAxis(_ axis: Int, rank: Int) -> Int { axis < 0 ? axis + rank : axis }

/// Applies `(x - shift[c]) * scale[c]`-style per-channel math along `axis` of `x`.
private func perChannel(_ x: Tensor, axis: Int, _ transform: (Float, Int) -> Float) -> Tensor {
    let channels = x.shape[axis]
    let inner = x.shape[(axis + 1)...].reduce(1, *)
    var result = x.scalars
    for index in result.indices {
        result[index] = transform(result[index], (index / inner) % channels)
    }
    return Tensor(shape: x.shape, scalars: result)
}

/// `BatchNormalization` at inference: variables `[gamma, beta, moving_mean, moving_variance]`, gamma and
/// beta only when `scale`/`center`; computed as Keras's JAX backend does (`x * inv + (beta - mean * inv)`).
final class BatchNormalization: BaseLayer, @unchecked Sendable {
    private var gamma: Variable?
    private var beta: Variable?
    private var movingMean: Variable?
    private var movingVariance: Variable?
    private var axis = -1

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        guard let shape = shapes.first else { return }
        axis = resolvedAxis(try config.int("axis", default: -1), rank: shape.count)
        guard axis >= 0, axis < shape.count, let channels = shape[axis] else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "axis \(axis) of \(shape)", at: name)
        }
        if try config.bool("scale", default: true) { gamma = addVariable("gamma", [channels]) }
        if try config.bool("center", default: true) { beta = addVariable("beta", [channels]) }
        movingMean = addVariable("moving_mean", [channels], trainable: false)
        movingVariance = addVariable("moving_variance", [channels], trainable: false)
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        guard let movingMean, let movingVariance, axis < x.rank else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "BatchNormalization was never built", at: name)
        }
        let epsilon = try config.float("epsilon", default: 1e-3)
        let inverse = movingVariance.values.enumerated().map { index, variance in
            1 / (variance + epsilon).squareRoot() * (gamma?.values[index] ?? 1)
        }
        let offset = movingMean.values.enumerated().map { index, mean in (beta?.values[index] ?? 0) - mean * inverse[index] }
        return [perChannel(x, axis: axis) { value, channel in value * inverse[channel] + offset[channel] }]
    }
}

/// `LayerNormalization` over the last axis: variables `[gamma, beta]`.
final class LayerNormalization: BaseLayer, @unchecked Sendable {
    private var gamma: Variable?
    private var beta: Variable?

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        let singleAxis = try config.int("axis", default: -1)
        let axes = config["axis"]?.arrayValue?.compactMap(\.intValue) ?? [singleAxis]
        guard axes == [-1] || axes == [(shapes.first?.count ?? 0) - 1] else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "LayerNormalization over axes \(axes) is not implemented", at: name)
        }
        let channels = try lastDimension(shapes)
        if try config.bool("scale", default: true) { gamma = addVariable("gamma", [channels]) }
        if try config.bool("center", default: true) { beta = addVariable("beta", [channels]) }
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        let epsilon = try config.float("epsilon", default: 1e-3)
        let width = x.lastDimension
        var result = x.scalars
        for start in stride(from: 0, to: result.count, by: max(width, 1)) {
            let row = result[start..<(start + width)]
            let mean = row.reduce(0, +) / Float(width)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(width)
            let inverse = 1 / (variance + epsilon).squareRoot()
            for (offset, index) in row.indices.enumerated() {
                let scale = inverse * (gamma?.values[offset] ?? 1)
                result[index] = result[index] * scale + ((beta?.values[offset] ?? 0) - mean * scale)
            }
        }
        return [Tensor(shape: x.shape, scalars: result)]
    }
}

/// `Normalization` (adapted statistics): variables `[mean, variance, count]`; `(x - mean) / max(sqrt(variance), 1e-7)`.
final class Normalization: BaseLayer, @unchecked Sendable {
    private var mean: Variable?
    private var variance: Variable?

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        let axes = config["axis"]?.arrayValue?.compactMap(\.intValue) ?? [-1]
        guard axes == [-1], config["mean"] == nil, !(try config.bool("invert", default: false)) else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "Normalization with axis \(axes), fixed mean or invert is not implemented", at: name)
        }
        let channels = try lastDimension(shapes)
        mean = addVariable("mean", [channels], trainable: false)
        variance = addVariable("variance", [channels], trainable: false)
        addVariable("count", [], trainable: false, dtype: "int32")
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        guard let mean, let variance else { throw ReferenceError(ReferenceError.Code.invalidConfig, "Normalization was never built", at: name) }
        let epsilon: Float = 1e-7
        return [perChannel(x, axis: x.rank - 1) { value, channel in
            (value - mean.values[channel]) / max(variance.values[channel].squareRoot(), epsilon)
        }]
    }
}

/// `Rescaling`: `x * scale + offset`.
final class Rescaling: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let scale = try config.float("scale", default: 1)
        let offset = try config.float("offset", default: 0)
        return [try single(inputs).map { $0 * scale + offset }]
    }
}

/// `Embedding`: variable `[embeddings]` of `(input_dim, output_dim)`; rows looked up by integer index.
final class Embedding: BaseLayer, @unchecked Sendable {
    private var embeddings: Variable?

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        embeddings = addVariable("embeddings", [try config.int("input_dim"), try config.int("output_dim")])
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        guard let embeddings else { throw ReferenceError(ReferenceError.Code.invalidConfig, "Embedding was never built", at: name) }
        let (rows, width) = (embeddings.shape[0], embeddings.shape[1])
        var result: [Float] = []
        result.reserveCapacity(x.count * width)
        for value in x.scalars {
            let index = Int(value)
            guard index >= 0, index < rows else {
                result += [Float](repeating: 0, count: width)
                continue
            }
            result += embeddings.values[(index * width)..<((index + 1) * width)]
        }
        return [Tensor(shape: x.shape + [width], scalars: result)]
    }
}

/// `GlobalAveragePooling1D/2D/3D` and `GlobalMaxPooling1D/2D/3D`, channels_last, with `keepdims`.
final class GlobalPooling: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        guard try config.string("data_format", default: "channels_last") == "channels_last", x.rank >= 3 else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "\(className) with channels_first or rank \(x.rank) is not implemented", at: name)
        }
        let isMax = className.hasPrefix("GlobalMax")
        let batch = x.shape[0]
        let channels = x.lastDimension
        let positions = x.count / max(batch * channels, 1)
        var result = [Float](repeating: isMax ? -.infinity : 0, count: batch * channels)
        for sample in 0..<batch {
            for position in 0..<positions {
                let base = (sample * positions + position) * channels
                for channel in 0..<channels {
                    let value = x.scalars[base + channel]
                    let slot = sample * channels + channel
                    result[slot] = isMax ? max(result[slot], value) : result[slot] + value
                }
            }
        }
        if !isMax { result = result.map { $0 / Float(positions) } }
        let keep = try config.bool("keepdims", default: false)
        let shape = keep ? [batch] + [Int](repeating: 1, count: x.rank - 2) + [channels] : [batch, channels]
        return [Tensor(shape: shape, scalars: result)]
    }
}
