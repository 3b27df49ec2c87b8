import Foundation
import KerasFormat
import KerasJSON

/// `Permute`: `transpose(x, (0,) + dims)` (keras/src/layers/reshaping/permute.py).
final class Permute: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        let dims = try config.ints("dims", count: x.rank - 1)
        guard dims.sorted() == Array(1..<x.rank) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "dims \(dims) is not a permutation of 1...\(x.rank - 1)", at: name)
        }
        return [x.transposed([0] + dims)]
    }
}

/// `RepeatVector`: `(batch, features)` → `(batch, n, features)`.
final class RepeatVector: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        guard x.rank == 2 else { throw ReferenceError(ReferenceError.Code.inputMismatch, "RepeatVector expects rank 2, got \(x.shape)", at: name) }
        let n = try config.int("n")
        return [x.reshaped([x.shape[0], 1, x.shape[1]]).repeated(n, axis: 1)]
    }
}

/// The spatial axes of a channels_last or channels_first input of `rank` spatial dimensions.
private func spatialAxes(_ config: ConfigReader, rank: Int, layer: String) throws(ReferenceError) -> [Int] {
    switch try config.string("data_format", default: "channels_last") {
    case "channels_last": return Array(1...rank)
    case "channels_first": return Array(2...(rank + 1))
    default: throw config.error("data_format", "channels_last or channels_first")
    }
}

/// The spatial rank from a class name ending in `1D`, `2D`, `3D`.
private func spatialRank(_ className: String) -> Int { className.hasSuffix("1D") ? 1 : className.hasSuffix("3D") ? 3 : 2 }

extension ConfigReader {
    /// `(before, after)` per spatial axis from an int, a list of ints (symmetric per axis) or a list of pairs;
    /// for one axis a pair is the pair itself (ZeroPadding1D `padding=(1, 2)`).
    func pairs(_ key: String, rank: Int) throws(ReferenceError) -> [(Int, Int)] {
        guard let value = self[key] else { throw error(key, "an integer or a list") }
        if let single = value.intValue { return [(Int, Int)](repeating: (single, single), count: rank) }
        guard let list = value.arrayValue else { throw error(key, "an integer or a list") }
        if rank == 1 {
            guard list.count == 2, let first = list[0].intValue, let second = list[1].intValue else { throw error(key, "a pair of integers") }
            return [(first, second)]
        }
        guard list.count == rank else { throw error(key, "a list of \(rank) entries") }
        var result: [(Int, Int)] = []
        for item in list {
            if let symmetric = item.intValue {
                result.append((symmetric, symmetric))
            } else if let pair = item.arrayValue, pair.count == 2, let first = pair[0].intValue, let second = pair[1].intValue {
                result.append((first, second))
            } else {
                throw error(key, "a list of integers or pairs")
            }
        }
        return result
    }
}

/// `ZeroPadding1D/2D/3D`: zeros before and after each spatial axis (`ops.pad`).
final class ZeroPadding: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        let rank = spatialRank(className)
        guard x.rank == rank + 2 else { throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) expects rank \(rank + 2), got \(x.shape)", at: name) }
        let padding = try config.pairs("padding", rank: rank)
        let axes = rank == 1 ? [1] : try spatialAxes(config, rank: rank, layer: name)
        var before = [Int](repeating: 0, count: x.rank)
        var after = before
        for (axis, pair) in zip(axes, padding) {
            guard pair.0 >= 0, pair.1 >= 0 else { throw config.error("padding", "non-negative") }
            (before[axis], after[axis]) = pair
        }
        return [x.padded(before: before, after: after)]
    }
}

/// `Cropping1D/2D/3D`: removes `(start, end)` elements of each spatial axis.
final class Cropping: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        var x = try single(inputs)
        let rank = spatialRank(className)
        guard x.rank == rank + 2 else { throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) expects rank \(rank + 2), got \(x.shape)", at: name) }
        let cropping = try config.pairs("cropping", rank: rank)
        let axes = rank == 1 ? [1] : try spatialAxes(config, rank: rank, layer: name)
        for (axis, (start, end)) in zip(axes, cropping) {
            guard start >= 0, end >= 0, start + end < x.shape[axis] else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "cropping \(cropping) does not fit input \(x.shape)", at: name)
            }
            x = x.sliced(axis: axis, from: start, to: x.shape[axis] - end)
        }
        return [x]
    }
}

/// `UpSampling1D/2D/3D`: nearest (each element repeated `size` times per axis, `ops.repeat`); UpSampling2D
/// with `interpolation: "bilinear"` resizes as `jax.image.resize` does (half-pixel centres, no antialias).
final class UpSampling: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        var x = try single(inputs)
        let rank = spatialRank(className)
        guard x.rank == rank + 2 else { throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) expects rank \(rank + 2), got \(x.shape)", at: name) }
        let sizes = try config.ints("size", count: rank, default: [Int](repeating: 2, count: rank))
        let axes = rank == 1 ? [1] : try spatialAxes(config, rank: rank, layer: name)
        guard sizes.allSatisfy({ $0 > 0 }) else { throw config.error("size", "positive") }
        let interpolation = rank == 2 ? try config.string("interpolation", default: "nearest").lowercased() : "nearest"
        switch interpolation {
        case "nearest":
            for (axis, size) in zip(axes, sizes) { x = x.repeated(size, axis: axis) }
        case "bilinear":
            for (axis, size) in zip(axes, sizes) { x = Self.linearResize(x, axis: axis, to: x.shape[axis] * size) }
        default:
            throw ReferenceError(ReferenceError.Code.notImplemented, "UpSampling2D interpolation \(interpolation) is not implemented", at: name)
        }
        return [precision.round(x)]
    }

    /// One axis of `jax.image.resize(method="linear", antialias=False)`: triangle-kernel weights at
    /// `(i + 0.5) / scale - 0.5`, normalised over the input samples in range (`compute_weight_mat`).
    static func linearResize(_ x: Tensor, axis: Int, to outputSize: Int) -> Tensor {
        let inputSize = x.shape[axis]
        let inverseScale = Float(inputSize) / Float(outputSize)
        var weights = [Float](repeating: 0, count: inputSize * outputSize)
        for out in 0..<outputSize {
            let sample = (Float(out) + 0.5) * inverseScale - 0.5
            guard sample >= -0.5, sample <= Float(inputSize) - 0.5 else { continue }
            var total: Float = 0
            for source in 0..<inputSize { total += max(0, 1 - abs(sample - Float(source))) }
            guard abs(total) > 1000 * Float.ulpOfOne else { continue }
            for source in 0..<inputSize { weights[source * outputSize + out] = max(0, 1 - abs(sample - Float(source))) / total }
        }
        let moved = x.transposed(Array(0..<axis) + Array((axis + 1)..<x.rank) + [axis])
        let rows = moved.count / max(inputSize, 1)
        let resized = LinearAlgebra.matmul(moved.scalars, weights, m: rows, k: inputSize, n: outputSize)
        var movedShape = moved.shape
        movedShape[movedShape.count - 1] = outputSize
        var back = Array(0..<axis) + [x.rank - 1]
        back += Array(axis..<(x.rank - 1))
        return Tensor(shape: movedShape, scalars: resized).transposed(back)
    }
}
