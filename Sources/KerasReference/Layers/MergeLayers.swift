import KerasFormat

/// The elementwise merge layers: `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`
/// (base_merge.py): inputs of lower rank get size-1 axes inserted at axis 1, then the pairwise operation
/// broadcasts as NumPy does.
final class ElementwiseMerge: BaseLayer, @unchecked Sendable {
    /// `Maximum` and `Minimum` (`_apply_merge_op_and_or_mask`) and `Multiply` (`Multiply._merge_function`)
    /// read the inputs' Keras masks when the inputs have one rank: a masked position takes the other
    /// operand (`Multiply`: 1, and 0 in the output where every input is masked), and the output carries
    /// the OR of the masks (`Multiply` only when every input has one). `Add`, `Subtract` and `Average`
    /// ignore masks; `Merge.compute_mask` gives their output the OR of the masks when every input has one.
    override func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult {
        let masks = call.values.map { $0?.mask }
        let sameRank = Set(call.inputs.map(\.rank)).count == 1
        guard ["Maximum", "Minimum", "Multiply"].contains(className), sameRank, masks.contains(where: { $0 != nil }) else {
            return LayerResult(try self.call(call.inputs))
        }
        func expanded(_ mask: Tensor, like x: Tensor) throws(ReferenceError) -> Tensor {
            guard let result = Tensor(zeros: x.shape).broadcast(with: mask.reshaped(mask.shape + [1]), { $1 != 0 ? 1 : 0 }), result.shape == x.shape else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "mask \(mask.shape) does not broadcast to \(x.shape)", at: name)
            }
            return result
        }
        func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
            Tensor(shape: a.shape, scalars: (0..<a.count).map { condition.scalars[$0] != 0 ? a.scalars[$0] : b.scalars[$0] })
        }
        let inputs = call.inputs
        guard inputs.allSatisfy({ $0.shape == inputs[0].shape }) else { return LayerResult(try self.call(call.inputs)) }
        if className == "Multiply" {
            let hasOutputMask = masks.allSatisfy { $0 != nil }
            var output: Tensor?
            var outputMask: Tensor?
            for (x, mask) in zip(inputs, masks) {
                var x = x
                if let mask {
                    let wide = try expanded(mask, like: x)
                    x = select(wide, x, Tensor(shape: x.shape, scalars: [Float](repeating: 1, count: x.count)))
                    if hasOutputMask { outputMask = outputMask.map { select($0, $0, wide) } ?? wide }
                }
                output = output.map { Tensor(shape: x.shape, scalars: zip($0.scalars, x.scalars).map(*)) } ?? x
            }
            guard var result = output else { return LayerResult([]) }
            var resultMask: Tensor?
            if let outputMask {
                result = select(outputMask, result, Tensor(zeros: result.shape))
                resultMask = outputMask.anyOverLastAxis
            }
            return LayerResult([precision.round(result)], masks: [resultMask])
        }
        let operation: (Float, Float) -> Float = className == "Maximum" ? { max($0, $1) } : { min($0, $1) }
        var output: Tensor?
        var outputMask: Tensor?
        for (x, mask) in zip(inputs, masks) {
            var x = x
            let wide = try mask.map { (mask) throws(ReferenceError) in try expanded(mask, like: x) }
            guard var current = output else {
                output = x
                outputMask = wide
                continue
            }
            if let wide { x = select(wide, x, current) }
            if let outputMask { current = select(outputMask, current, x) }
            if let wide, let existing = outputMask { outputMask = select(existing, existing, wide) } else { outputMask = nil }
            output = Tensor(shape: x.shape, scalars: zip(current.scalars, x.scalars).map(operation))
        }
        guard let result = output else { return LayerResult([]) }
        return LayerResult([precision.round(result)], masks: [outputMask?.anyOverLastAxis])
    }

    /// `Merge.compute_mask`: the OR of the input masks when every input has one.
    override func computeMask(_ call: LayerCall) throws(ReferenceError) -> [Tensor?]? {
        let masks = call.previousMask
        guard !masks.isEmpty, masks.allSatisfy({ $0 != nil }) else { return nil }
        var combined = masks[0]!
        for mask in masks.dropFirst() {
            guard let mask, let both = combined.broadcast(with: mask, { ($0 != 0 || $1 != 0) ? 1 : 0 }) else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "masks \(masks.map { $0?.shape ?? [] }) do not broadcast", at: name)
            }
            combined = both
        }
        combined.dtype = .bool
        return [combined]
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        guard inputs.count >= 1 else { throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) needs inputs", at: name) }
        let maxRank = inputs.map(\.rank).max() ?? 0
        let aligned = inputs.map { input in
            input.rank == maxRank || input.rank == 0 ? input
                : input.reshaped([input.shape[0]] + [Int](repeating: 1, count: maxRank - input.rank) + input.shape.dropFirst())
        }
        if className == "Subtract" {
            guard aligned.count == 2 else { throw ReferenceError(ReferenceError.Code.inputMismatch, "Subtract takes two inputs", at: name) }
        }
        let operation: (Float, Float) -> Float
        switch className {
        case "Add", "Average": operation = { $0 + $1 }
        case "Subtract": operation = { $0 - $1 }
        case "Multiply": operation = { $0 * $1 }
        case "Maximum": operation = { max($0, $1) }
        default: operation = { min($0, $1) }
        }
        var result = aligned[0]
        for other in aligned.dropFirst() {
            guard let combined = result.broadcast(with: other, operation) else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) inputs \(inputs.map(\.shape)) do not broadcast", at: name)
            }
            result = precision.round(combined)
        }
        if className == "Average" { result = result.map { $0 / Float(inputs.count) } }
        return [result]
    }
}

/// `Dot` (merging/dot.py): `batch_dot` of two inputs over `axes` (an int for both or a pair), after an
/// L2 normalisation along those axes when `normalize` (`x * min(rsqrt(sum x²), 1e7)`).
final class Dot: BaseLayer, @unchecked Sendable {
    /// `Dot.compute_mask`: none.
    override func computeMask(_ call: LayerCall) throws(ReferenceError) -> [Tensor?]? { nil }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        guard inputs.count == 2, inputs[0].rank >= 2, inputs[1].rank >= 2, inputs[0].shape[0] == inputs[1].shape[0] else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "Dot takes two batched inputs of rank >= 2, got \(inputs.map(\.shape))", at: name)
        }
        var (x, y) = (inputs[0], inputs[1])
        let requested: [Int]
        if let single = config["axes"]?.intValue {
            requested = [single, single]
        } else {
            requested = try config.ints("axes", count: 2)
        }
        var axes: [Int] = []
        for (axis, tensor) in zip(requested, [x, y]) {
            let resolved = axis < 0 ? ((axis % tensor.rank) + tensor.rank) % tensor.rank : axis
            guard resolved > 0, resolved < tensor.rank else { throw config.error("axes", "non-batch axes within the inputs' ranks") }
            axes.append(resolved)
        }
        guard x.shape[axes[0]] == y.shape[axes[1]] else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "Dot axes \(axes) do not match in \(x.shape) and \(y.shape)", at: name)
        }
        if try config.bool("normalize", default: false) {
            x = L2Normalize.apply(x, axes: [axes[0]], epsilon: 1e-7)
            y = L2Normalize.apply(y, axes: [axes[1]], epsilon: 1e-7)
        }
        return [precision.round(Self.batchDot(x, y, axes: (axes[0], axes[1])))]
    }

    /// `batch_dot`: per sample, `x`'s axis `axes.0` contracted with `y`'s axis `axes.1`; the result has
    /// `x`'s other axes then `y`'s (batch excluded), and at least rank 2.
    static func batchDot(_ x: Tensor, _ y: Tensor, axes: (Int, Int)) -> Tensor {
        let batch = x.shape[0]
        let xOther = (1..<x.rank).filter { $0 != axes.0 }
        let yOther = (1..<y.rank).filter { $0 != axes.1 }
        let xMoved = x.transposed([0] + xOther + [axes.0])
        let yMoved = y.transposed([0, axes.1] + yOther)
        let k = x.shape[axes.0]
        let m = xOther.map { x.shape[$0] }.reduce(1, *)
        let n = yOther.map { y.shape[$0] }.reduce(1, *)
        var result: [Float] = []
        result.reserveCapacity(batch * m * n)
        for sample in 0..<batch {
            result += LinearAlgebra.matmul(Array(xMoved.scalars[(sample * m * k)..<((sample + 1) * m * k)]),
                                           Array(yMoved.scalars[(sample * k * n)..<((sample + 1) * k * n)]), m: m, k: k, n: n)
        }
        var shape = [batch] + xOther.map { x.shape[$0] } + yOther.map { y.shape[$0] }
        if shape.count == 1 { shape.append(1) }
        return Tensor(shape: shape, scalars: result)
    }
}

/// `Concatenate` along `axis` (default -1).
final class Concatenate: BaseLayer, @unchecked Sendable {
    /// `Concatenate.compute_mask`: none when no input has a mask; else every input's mask (all true for an
    /// unmasked input, widened with a last axis when of lower rank) concatenated on `axis`, then
    /// `any` over the last axis.
    override func computeMask(_ call: LayerCall) throws(ReferenceError) -> [Tensor?]? {
        let masks = call.previousMask
        guard masks.contains(where: { $0 != nil }), masks.count == call.firstArgument.count else { return nil }
        var parts: [Tensor] = []
        for (input, mask) in zip(call.firstArgument, masks) {
            guard let mask else {
                parts.append(Tensor(shape: input.shape, scalars: [Float](repeating: 1, count: input.count)))
                continue
            }
            if mask.rank < input.rank {
                guard let wide = Tensor(zeros: input.shape).broadcast(with: mask.reshaped(mask.shape + [1]), { $1 != 0 ? 1 : 0 }) else {
                    throw ReferenceError(ReferenceError.Code.inputMismatch, "mask \(mask.shape) does not fit \(input.shape)", at: name)
                }
                parts.append(wide)
            } else {
                parts.append(mask.asMask)
            }
        }
        var axis = try config.int("axis", default: -1)
        if axis < 0 { axis += parts[0].rank }
        let joined: Tensor
        do throws(ReferenceError) { joined = try Self.join(parts, axis: axis) } catch {
            throw ReferenceError(error.code, error.reason, at: name)
        }
        return [joined.anyOverLastAxis]
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        guard let first = inputs.first else { throw ReferenceError(ReferenceError.Code.inputMismatch, "Concatenate needs inputs", at: name) }
        var axis = try config.int("axis", default: -1)
        if axis < 0 { axis += first.rank }
        do throws(ReferenceError) { return [try Self.join(inputs, axis: axis)] } catch {
            throw ReferenceError(error.code, error.reason, at: name)
        }
    }

    /// `inputs` joined along the non-negative `axis`; every other dimension must agree.
    static func join(_ inputs: [Tensor], axis: Int) throws(ReferenceError) -> Tensor {
        guard let first = inputs.first else { throw ReferenceError(ReferenceError.Code.inputMismatch, "Concatenate needs inputs") }
        let rank = first.rank
        guard axis >= 0, axis < rank, inputs.allSatisfy({ $0.rank == rank }) else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "cannot concatenate \(inputs.map(\.shape)) on axis \(axis)")
        }
        for input in inputs where input.shape.enumerated().contains(where: { $0.offset != axis && $0.element != first.shape[$0.offset] }) {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "cannot concatenate \(first.shape) and \(input.shape) on axis \(axis)")
        }
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        var shape = first.shape
        shape[axis] = inputs.reduce(0) { $0 + $1.shape[axis] }
        var result: [Float] = []
        result.reserveCapacity(shape.reduce(1, *))
        for block in 0..<outer {
            for input in inputs {
                let length = input.shape[axis] * inner
                result += input.scalars[(block * length)..<((block + 1) * length)]
            }
        }
        return Tensor(shape: shape, scalars: result)
    }
}
