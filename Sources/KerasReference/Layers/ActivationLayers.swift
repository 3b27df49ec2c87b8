import Foundation
import KerasFormat
import KerasJSON

/// `LeakyReLU`: `x >= 0 ? x : negative_slope * x` (`jax.nn.leaky_relu`); default slope 0.3, legacy `alpha`.
final class LeakyReLU: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let slope = config["negative_slope"] != nil ? try config.float("negative_slope", default: 0.3) : try config.float("alpha", default: 0.3)
        return [try single(inputs).map { $0 >= 0 ? $0 : slope * $0 }]
    }
}

/// `ELU`: `x > 0 ? x : alpha * expm1(x)`. Keras does not save `alpha` (the layer has no `get_config`), so
/// a reloaded ELU always has alpha 1; a hand-written `alpha` is honoured.
final class ELULayer: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let alpha = try config.float("alpha", default: 1)
        return [try single(inputs).map { $0 > 0 ? $0 : alpha * expm1($0) }]
    }
}

/// `PReLU`: `relu(x) - alpha * relu(-x)`; variable `[alpha]` of the input shape without the batch axis,
/// 1 on `shared_axes`.
final class PReLU: BaseLayer, @unchecked Sendable {
    private var alpha: Variable?

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        guard shapes.count == 1, let shape = knownShape(Array(shapes[0].dropFirst())) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "PReLU needs a known input shape, got \(shapes)", at: name)
        }
        var parameterShape = shape
        let shared: [Int]
        if let single = config["shared_axes"]?.intValue { shared = [single] } else { shared = config["shared_axes"]?.arrayValue?.compactMap(\.intValue) ?? [] }
        for axis in shared {
            guard axis >= 1, axis <= parameterShape.count else { throw config.error("shared_axes", "axes between 1 and \(parameterShape.count)") }
            parameterShape[axis - 1] = 1
        }
        alpha = try addVariable("alpha", parameterShape)
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        guard let alpha, let output = x.broadcast(with: Tensor(shape: alpha.shape, scalars: precision.round(alpha.values)), { value, slope in
            max(value, 0) + (-slope) * max(-value, 0)
        }), output.shape == x.shape else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "PReLU alpha does not broadcast to \(x.shape)", at: name)
        }
        return [output]
    }
}

/// `Softmax` over `axis` (an int or a list): one axis as `jax.nn.softmax` (`exp(x - max) / sum`), several
/// as `exp(x - logsumexp(x, axes))` (keras/src/layers/activations/softmax.py).
final class SoftmaxLayer: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        let axes: [Int]
        if let list = config["axis"]?.arrayValue { axes = list.compactMap(\.intValue) } else { axes = [try config.int("axis", default: -1)] }
        var resolved: [Int] = []
        for axis in axes {
            guard let value = resolveAxis(axis, rank: x.rank) else { throw config.error("axis", "axes within rank \(x.rank)") }
            resolved.append(value)
        }
        return [Self.softmax(x, axes: resolved)]
    }

    /// Softmax of `x` over `axes` (resolved, non-negative).
    static func softmax(_ x: Tensor, axes: [Int]) -> Tensor {
        let axisSet = Set(axes)
        let kept = (0..<x.rank).filter { !axisSet.contains($0) }
        let order = kept + axes.sorted()
        let moved = x.transposed(order)
        let width = max(axes.map { x.shape[$0] }.reduce(1, *), 1)
        var out = moved.scalars
        for start in stride(from: 0, to: out.count, by: width) {
            let row = start..<(start + width)
            let peak = out[row].max() ?? 0
            if axes.count > 1 {
                var total: Float = 0
                for index in row { total += exp(out[index] - peak) }
                let logSum = peak + log(total)
                for index in row { out[index] = exp(out[index] - logSum) }
            } else {
                var total: Float = 0
                for index in row {
                    out[index] = exp(out[index] - peak)
                    total += out[index]
                }
                for index in row { out[index] /= total }
            }
        }
        var inverse = [Int](repeating: 0, count: x.rank)
        for (position, axis) in order.enumerated() { inverse[axis] = position }
        return Tensor(shape: moved.shape, scalars: out).transposed(inverse)
    }
}
