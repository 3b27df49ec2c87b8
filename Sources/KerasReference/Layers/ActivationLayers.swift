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

    /// `PReLU.build`: `input_shape[1:]` with every shared axis set to 1, so an unknown dimension that is
    /// shared is no obstacle; any other unknown dimension is.
    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        guard shapes.count == 1 else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "PReLU takes one input, got \(shapes)", at: name)
        }
        var dimensions = Array(shapes[0].dropFirst())
        let shared: [Int]
        if let single = config["shared_axes"]?.intValue { shared = [single] } else { shared = config["shared_axes"]?.arrayValue?.compactMap(\.intValue) ?? [] }
        for axis in shared {
            guard axis >= 1, axis <= dimensions.count else { throw config.error("shared_axes", "axes between 1 and \(dimensions.count)") }
            dimensions[axis - 1] = 1
        }
        guard let parameterShape = knownShape(dimensions) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "PReLU needs known input dimensions outside shared_axes, got \(shapes)", at: name)
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
    /// `Softmax.call` with a mask broadcastable to the inputs: masked inputs become -1e9 (-3e4 in float16)
    /// before the softmax and 0 after it; a non-boolean mask keeps what is above 0.5.
    override func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult {
        guard let mask = call.mask() else { return LayerResult(try self.call(call.inputs)) }
        let x = try single(call.inputs)
        let keep = mask.dtype == .bool ? mask : mask.map { $0 > 0.5 ? 1 : 0 }
        let fill: Float = precision == .float16 ? -3e4 : -1e9
        guard mask.rank <= x.rank, let masked = x.broadcast(with: keep, { $1 != 0 ? $0 : fill }), masked.shape == x.shape else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "The `mask` must be broadcastable to `inputs`: inputs.shape=\(x.shape), mask.shape=\(mask.shape)", at: name)
        }
        let output = try self.call([precision.round(masked)])[0]
        guard let zeroed = output.broadcast(with: keep, { $1 != 0 ? $0 : 0 }) else { return LayerResult([output]) }
        return LayerResult([zeroed])
    }

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
