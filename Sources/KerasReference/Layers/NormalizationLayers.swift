import Foundation
import KerasFormat
import KerasJSON

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
    /// Keras reads the mask only for the moments of a training step; inference uses the moving statistics.
    override func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult { LayerResult(try self.call(call.inputs)) }

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
        if try config.bool("scale", default: true) { gamma = try addVariable("gamma", [channels]) }
        if try config.bool("center", default: true) { beta = try addVariable("beta", [channels]) }
        movingMean = try addVariable("moving_mean", [channels], trainable: false)
        movingVariance = try addVariable("moving_variance", [channels], trainable: false)
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        guard let movingMean, let movingVariance, axis < x.rank, x.shape[axis] == movingMean.shape[0] else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "BatchNormalization was never built", at: name)
        }
        let epsilon = try config.float("epsilon", default: 1e-3)
        let inverse = movingVariance.values.enumerated().map { index, variance in
            1 / (variance + epsilon).squareRoot() * (gamma?.values[index] ?? 1)
        }
        let offset = movingMean.values.enumerated().map { index, mean in (beta?.values[index] ?? 0) - mean * inverse[index] }
        guard axis == x.rank - 1, !inverse.isEmpty else {
            return [perChannel(x, axis: axis) { value, channel in value * inverse[channel] + offset[channel] }]
        }
        return [Self.lastAxis(x, inverse: inverse, offset: offset)]
    }

    /// `x * inverse + offset` with the channels on the last axis: one pass, vectorised over the channels.
    private static func lastAxis(_ x: Tensor, inverse: [Float], offset: [Float]) -> Tensor {
        let channels = inverse.count
        let count = x.count
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            x.scalars.withUnsafeBufferPointer { input in
                inverse.withUnsafeBufferPointer { inverse in
                    offset.withUnsafeBufferPointer { offset in
                        guard let out = buffer.baseAddress, let input = input.baseAddress,
                              let inverse = inverse.baseAddress, let offset = offset.baseAddress else { return }
                        typealias Block = SIMD8<Float>
                        let vectorEnd = channels - channels % Block.scalarCount
                        for start in stride(from: 0, to: count, by: channels) {
                            for channel in stride(from: 0, to: vectorEnd, by: Block.scalarCount) {
                                let value = UnsafeRawPointer(input + start + channel).loadUnaligned(as: Block.self)
                                    * UnsafeRawPointer(inverse + channel).loadUnaligned(as: Block.self)
                                    + UnsafeRawPointer(offset + channel).loadUnaligned(as: Block.self)
                                UnsafeMutableRawPointer(out + start + channel).storeBytes(of: value, as: Block.self)
                            }
                            for channel in vectorEnd..<channels { out[start + channel] = input[start + channel] * inverse[channel] + offset[channel] }
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: x.shape, scalars: scalars)
    }
}

/// `LayerNormalization` over `axis` (an int or a list; `ops.layer_normalization`): per sample,
/// `x * inv + (beta - mean * inv)` with `inv = gamma / sqrt(var + epsilon)` over the normalised axes;
/// with `rms_scaling`, `x / sqrt(var + epsilon) * gamma` (Keras uses the variance there, not the mean
/// square). Variables `[gamma, beta]` of the normalised axes' shape (gamma only with rms_scaling).
final class LayerNormalization: BaseLayer, @unchecked Sendable {
    private var gamma: Variable?
    private var beta: Variable?

    private func axes(rank: Int) throws(ReferenceError) -> [Int] {
        let requested: [Int]
        if let list = config["axis"]?.arrayValue { requested = list.compactMap(\.intValue) } else { requested = [try config.int("axis", default: -1)] }
        var resolved: [Int] = []
        for axis in requested {
            guard let value = resolveAxis(axis, rank: rank) else { throw config.error("axis", "axes within rank \(rank)") }
            resolved.append(value)
        }
        return resolved.sorted()
    }

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        guard let shape = shapes.first, let parameterShape = knownShape(try axes(rank: shape.count).map { shape[$0] }) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "LayerNormalization needs known normalised axes, got \(shapes)", at: name)
        }
        let rms = try config.bool("rms_scaling", default: false)
        if try config.bool("scale", default: true) || rms { gamma = try addVariable("gamma", parameterShape) }
        if try config.bool("center", default: true), !rms { beta = try addVariable("beta", parameterShape) }
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        let epsilon = try config.float("epsilon", default: 1e-3)
        let rms = try config.bool("rms_scaling", default: false)
        let normalised = try axes(rank: x.rank)
        let kept = (0..<x.rank).filter { !normalised.contains($0) }
        let order = kept + normalised
        let moved = x.transposed(order)
        let width = max(normalised.map { x.shape[$0] }.reduce(1, *), 1)
        for parameter in [gamma, beta].compactMap({ $0 }) where parameter.values.count != width {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "LayerNormalization built for \(parameter.shape), got \(x.shape)", at: name)
        }
        var result = moved.scalars
        for start in stride(from: 0, to: result.count, by: width) {
            let row = result[start..<(start + width)]
            let mean = row.reduce(0, +) / Float(width)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(width)
            let inverse = 1 / (variance + epsilon).squareRoot()
            for (offset, index) in row.indices.enumerated() {
                if rms {
                    result[index] = result[index] * inverse * (gamma?.values[offset] ?? 1)
                } else {
                    let scale = inverse * (gamma?.values[offset] ?? 1)
                    result[index] = result[index] * scale + ((beta?.values[offset] ?? 0) - mean * scale)
                }
            }
        }
        var inverseOrder = [Int](repeating: 0, count: x.rank)
        for (position, axis) in order.enumerated() { inverseOrder[axis] = position }
        return [Tensor(shape: moved.shape, scalars: result).transposed(inverseOrder)]
    }
}

/// `Normalization` (preprocessing/normalization.py): `(x - mean) / max(sqrt(variance), 1e-7)`, or with
/// `invert` `mean + x * max(sqrt(variance), 1e-7)`, the statistics broadcast over the kept `axis` (an int,
/// a list, or null for one scalar). Adapted statistics are variables `[mean, variance, count]` of the kept
/// axes' shape; statistics given in the config (`mean`, `variance`: scalars or nested lists aligned on the
/// last kept axes) are constants and there are no variables.
final class Normalization: BaseLayer, @unchecked Sendable {
    private var mean: Variable?
    private var variance: Variable?

    /// The kept axes, resolved for `rank`.
    private func keptAxes(rank: Int) throws(ReferenceError) -> [Int] {
        let requested: [Int]
        if config.value["axis"] == nil {
            requested = [-1]
        } else if config["axis"] == nil {
            requested = []
        } else if let single = config["axis"]?.intValue {
            requested = [single]
        } else if let list = config["axis"]?.arrayValue {
            requested = list.compactMap(\.intValue)
        } else {
            throw config.error("axis", "an integer, a list or null")
        }
        var axes: [Int] = []
        for axis in requested {
            guard let resolved = resolveAxis(axis, rank: rank) else { throw config.error("axis", "axes within rank \(rank)") }
            axes.append(resolved)
        }
        return axes.sorted()
    }

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        guard config["mean"] == nil else { return }
        guard let shape = shapes.first else { return }
        let kept = try keptAxes(rank: shape.count)
        guard let statistics = knownShape(kept.map { shape[$0] }) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "All `axis` values to be kept must have a known shape, got \(shape)", at: name)
        }
        mean = try addVariable("mean", statistics, trainable: false)
        variance = try addVariable("variance", statistics, trainable: false)
        try addVariable("count", [], trainable: false, dtype: "int32")
    }

    /// A nested list of numbers as `(shape, values)`; a number has shape `[]`.
    private func constant(_ key: String) throws(ReferenceError) -> (shape: [Int], values: [Float]) {
        func flatten(_ value: JSONValue) -> (shape: [Int], values: [Float])? {
            if let number = value.doubleValue ?? value.intValue.map(Double.init) { return ([], [Float(number)]) }
            guard let items = value.arrayValue else { return nil }
            var parts: [(shape: [Int], values: [Float])] = []
            for item in items {
                guard let part = flatten(item) else { return nil }
                parts.append(part)
            }
            guard let first = parts.first else { return ([0], []) }
            guard parts.allSatisfy({ $0.shape == first.shape }) else { return nil }
            return ([items.count] + first.shape, parts.flatMap(\.values))
        }
        guard let value = config[key], let result = flatten(value) else { throw config.error(key, "a number or a nested list of numbers") }
        return result
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        let kept = try keptAxes(rank: x.rank)
        let broadcastShape = (0..<x.rank).map { kept.contains($0) ? x.shape[$0] : 1 }
        let statistics: [Tensor]
        if let mean, let variance {
            guard mean.values.count == broadcastShape.reduce(1, *), variance.values.count == mean.values.count else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "Normalization built for \(mean.shape), got \(x.shape)", at: name)
            }
            statistics = [mean, variance].map { Tensor(shape: broadcastShape, scalars: $0.values) }
        } else {
            var expanded: [Tensor] = []
            for key in ["mean", "variance"] {
                let (shape, values) = try constant(key)
                var target = [Int](repeating: 1, count: x.rank)
                if shape.isEmpty {
                    target = [Int](repeating: 1, count: x.rank)
                } else {
                    guard shape.count <= kept.count else { throw config.error(key, "at most \(kept.count) dimensions") }
                    for index in 1...shape.count { target[kept[kept.count - index]] = shape[shape.count - index] }
                }
                guard let stretched = Tensor(zeros: broadcastShape).broadcast(with: Tensor(shape: target, scalars: values), { $1 }),
                      stretched.shape == broadcastShape else {
                    throw config.error(key, "statistics that broadcast to \(broadcastShape)")
                }
                expanded.append(stretched)
            }
            statistics = expanded
        }
        let epsilon: Float = 1e-7
        let deviation = statistics[1].map { max($0.squareRoot(), epsilon) }
        let invert = try config.bool("invert", default: false)
        let shifted = invert ? x.broadcast(with: deviation, *) : x.broadcast(with: statistics[0], -)
        guard let shifted, let result = invert ? shifted.broadcast(with: statistics[0], +) : shifted.broadcast(with: deviation, /) else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "statistics do not broadcast to \(x.shape)", at: name)
        }
        return [precision.round(result)]
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
        embeddings = try addVariable("embeddings", [try config.int("input_dim"), try config.int("output_dim")])
    }

    /// `Embedding.call` with the JAX backend: inputs other than int32/int64 are cast to int32 (truncated
    /// toward zero), then `jnp.take(embeddings, indices, axis=0)`, whose default mode `fill` wraps a
    /// negative index from -input_dim on and gives NaN rows for any index out of range.
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        guard let embeddings else { throw ReferenceError(ReferenceError.Code.invalidConfig, "Embedding was never built", at: name) }
        let indices = x.dtype == .int32 || x.dtype == .int64 ? x : x.cast(to: .int32)
        let (rows, width) = (embeddings.shape[0], embeddings.shape[1])
        var result: [Float] = []
        result.reserveCapacity(indices.count * width)
        let values = embeddings.values
        for value in indices.scalars {
            var index = Int(value)
            if index < 0, index >= -rows { index += rows }
            guard index >= 0, index < rows else {
                result += [Float](repeating: .nan, count: width)
                continue
            }
            result += values[(index * width)..<((index + 1) * width)]
        }
        return [Tensor(shape: x.shape + [width], scalars: result)]
    }

    /// `supports_masking` is `mask_zero`.
    override var supportsMasking: Bool { (try? config.bool("mask_zero", default: false)) ?? false }

    /// `Embedding.compute_mask`: `inputs != 0` with `mask_zero`, on the inputs as passed (before the cast).
    override func computeMask(_ call: LayerCall) throws(ReferenceError) -> [Tensor?]? {
        guard try config.bool("mask_zero", default: false), let x = call.firstArgument.first else { return nil }
        return [Tensor(shape: x.shape, scalars: x.scalars.map { $0 != 0 ? 1 : 0 }, dtype: .bool)]
    }
}

/// `Masking`: a step is kept where any feature differs from `mask_value`; kept steps pass, the others
/// become zeros, and the output carries the mask (set during the call, so `compute_mask` adds nothing).
final class MaskingLayer: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] { try call(LayerCall(inputs)).outputs }

    override func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult {
        let x = try single(call.inputs)
        let maskValue = try config.float("mask_value", default: 0)
        let width = max(x.lastDimension, 1)
        let rows = x.rank == 0 ? 1 : x.count / width
        var output = x.scalars
        var mask = [Float](repeating: 0, count: rows)
        for row in 0..<rows {
            let kept = x.scalars[(row * width)..<((row + 1) * width)].contains { $0 != maskValue }
            mask[row] = kept ? 1 : 0
            if !kept { for index in (row * width)..<((row + 1) * width) { output[index] = 0 } }
        }
        let outputTensor = Tensor(shape: x.shape, scalars: output, dtype: x.dtype)
        return LayerResult([outputTensor], masks: [Tensor(shape: Array(x.shape.dropLast()), scalars: mask, dtype: .bool)])
    }

    override func computeMask(_ call: LayerCall) throws(ReferenceError) -> [Tensor?]? {
        guard let x = call.firstArgument.first else { return nil }
        return try self.call(LayerCall([x])).masks
    }
}

/// `GlobalAveragePooling1D/2D/3D` and `GlobalMaxPooling1D/2D/3D` with `keepdims` (channels_last;
/// channels_first through a transpose).
final class GlobalPooling: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        [try inChannelsLast(try single(inputs), pool)]
    }

    /// `GlobalAveragePooling1D.call` with a mask: `sum(where(mask, x, 0)) / sum(mask)` over the steps (NaN
    /// for a sample whose every step is masked, as in Keras).
    override func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult {
        guard className == "GlobalAveragePooling1D", let mask = call.mask() else { return LayerResult(try self.call(call.inputs)) }
        let x = try inChannelsLast(try single(call.inputs)) { $0 }
        guard x.rank == 3, mask.count == x.shape[0] * x.shape[1] else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "GlobalAveragePooling1D mask \(mask.shape) does not fit \(x.shape)", at: name)
        }
        let (batch, steps, channels) = (x.shape[0], x.shape[1], x.shape[2])
        var result = [Float](repeating: 0, count: batch * channels)
        for sample in 0..<batch {
            var kept: Float = 0
            for step in 0..<steps where mask.scalars[sample * steps + step] != 0 {
                kept += 1
                for channel in 0..<channels { result[sample * channels + channel] += x.scalars[(sample * steps + step) * channels + channel] }
            }
            for channel in 0..<channels { result[sample * channels + channel] /= kept }
        }
        let keep = try config.bool("keepdims", default: false)
        return LayerResult([Tensor(shape: keep ? [batch, 1, channels] : [batch, channels], scalars: result)])
    }

    /// `GlobalAveragePooling1D.compute_mask`: none.
    override func computeMask(_ call: LayerCall) throws(ReferenceError) -> [Tensor?]? {
        className == "GlobalAveragePooling1D" ? nil : try super.computeMask(call)
    }

    private func pool(_ x: Tensor) throws(ReferenceError) -> Tensor {
        guard x.rank >= 3 else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) expects rank >= 3, got \(x.shape)", at: name)
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
        return Tensor(shape: shape, scalars: result)
    }
}

/// `GroupNormalization`: the channel axis split into `groups`, each sample normalised over its group's
/// channels and every other non-batch axis (two-pass variance, `jnp.var`), then `x * inv + (beta - mean * inv)`
/// with `inv = gamma / sqrt(var + epsilon)`; variables `[gamma, beta]` of the channel count.
final class GroupNormalization: BaseLayer, @unchecked Sendable {
    private var gamma: Variable?
    private var beta: Variable?
    private var groups = 32

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        guard let shape = shapes.first, let axis = resolveAxis(try config.int("axis", default: -1), rank: shape.count),
              let channels = shape[axis] else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "GroupNormalization needs a known channel axis, got \(shapes)", at: name)
        }
        groups = try config.int("groups", default: 32)
        if groups == -1 { groups = channels }
        guard groups > 0, channels % groups == 0 else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "Number of groups (\(groups)) must be a multiple of the number of channels (\(channels)).", at: name)
        }
        if try config.bool("scale", default: true) { gamma = try addVariable("gamma", [channels]) }
        if try config.bool("center", default: true) { beta = try addVariable("beta", [channels]) }
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        guard let axis = resolveAxis(try config.int("axis", default: -1), rank: x.rank), axis > 0, x.shape[axis] % groups == 0,
              [gamma, beta].allSatisfy({ $0 == nil || $0?.values.count == x.shape[axis] }) else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "GroupNormalization axis does not fit \(x.shape)", at: name)
        }
        let epsilon = try config.float("epsilon", default: 1e-3)
        let channels = x.shape[axis]
        let perGroup = channels / groups
        let inner = x.shape[(axis + 1)...].reduce(1, *)
        let batch = x.shape[0]
        let sampleSize = x.count / max(batch, 1)
        var result = x.scalars
        for sample in 0..<batch {
            let base = sample * sampleSize
            var sums = [Double](repeating: 0, count: groups)
            var counts = [Int](repeating: 0, count: groups)
            for offset in 0..<sampleSize {
                let group = (offset / inner) % channels / perGroup
                sums[group] += Double(x.scalars[base + offset])
                counts[group] += 1
            }
            let means = (0..<groups).map { Float(sums[$0] / Double(max(counts[$0], 1))) }
            var squares = [Float](repeating: 0, count: groups)
            for offset in 0..<sampleSize {
                let group = (offset / inner) % channels / perGroup
                let deviation = x.scalars[base + offset] - means[group]
                squares[group] += deviation * deviation
            }
            let inverse = (0..<groups).map { 1 / (squares[$0] / Float(max(counts[$0], 1)) + epsilon).squareRoot() }
            for offset in 0..<sampleSize {
                let channel = (offset / inner) % channels
                let group = channel / perGroup
                let scale = inverse[group] * (gamma?.values[channel] ?? 1)
                let shift = -means[group] * scale + (beta?.values[channel] ?? 0)
                result[base + offset] = x.scalars[base + offset] * scale + shift
            }
        }
        return [Tensor(shape: x.shape, scalars: result)]
    }
}

/// `UnitNormalization`: `x * min(1 / sqrt(sum(x², axes)), 1e12)` (`ops.normalize`, order 2, epsilon 1e-12).
final class UnitNormalization: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        let axes: [Int]
        if let list = config["axis"]?.arrayValue { axes = list.compactMap(\.intValue) } else { axes = [try config.int("axis", default: -1)] }
        var resolved = Set<Int>()
        for axis in axes {
            guard let value = resolveAxis(axis, rank: x.rank) else { throw config.error("axis", "axes within rank \(x.rank)") }
            resolved.insert(value)
        }
        return [L2Normalize.apply(x, axes: resolved, epsilon: 1e-12)]
    }
}

/// `ops.normalize(x, axis, order=2, epsilon)`: `x * min(rsqrt(sum(x², axis)), 1 / epsilon)`.
enum L2Normalize {
    static func apply(_ x: Tensor, axes: Set<Int>, epsilon: Float) -> Tensor {
        let squares = x.map { $0 * $0 }.summed(over: axes)
        let keptShape = (0..<x.rank).map { axes.contains($0) ? 1 : x.shape[$0] }
        let inverse = squares.map { min(1 / $0.squareRoot(), 1 / epsilon) }.reshaped(keptShape)
        return x.broadcast(with: inverse, *) ?? x
    }
}
