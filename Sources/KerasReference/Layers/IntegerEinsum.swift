/// A two-operand `einsum` of int8 operands accumulated in int32, as the JAX backend asks XLA for when every
/// operand is int8 (`einsum`, keras/src/backend/jax/numpy.py 134-144: `preferred_element_type="int32"`):
/// exact, wrapping on overflow as int32 does. Equations are letters only (`abc,cd->abd`): an EinsumDense
/// with an ellipsis cannot be quantized to int8 or int4 in Keras 3.15.1.
struct IntegerEinsum: Sendable {
    let left: [Character]
    let right: [Character]
    let output: [Character]

    /// Parses `equation` for operands of `leftRank` and `rightRank` dimensions with ``Einsum``'s parser
    /// (the same checks and errors), refusing an ellipsis.
    init(_ equation: String, leftRank: Int, rightRank: Int, layer: String) throws(ReferenceError) {
        guard !equation.contains("...") else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "einsum equation \"\(equation)\": an int8 einsum takes letters only", at: layer)
        }
        let parsed = try Einsum(equation, leftRank: leftRank, rightRank: rightRank, layer: layer)
        (left, right, output) = (parsed.left, parsed.right, parsed.output)
    }

    /// `einsum(x, y)` of `x` (shape `xShape`) and `y` (shape `yShape`): the output shape and its int32 values.
    func apply(_ x: [Int8], shape xShape: [Int], _ y: [Int8], shape yShape: [Int], layer: String) throws(ReferenceError) -> (shape: [Int], values: [Int32]) {
        var sizes: [Character: Int] = [:]
        for (labels, shape) in [(left, xShape), (right, yShape)] {
            for (label, size) in zip(labels, shape) {
                if let known = sizes[label], known != size {
                    throw ReferenceError(ReferenceError.Code.inputMismatch, "einsum: label sizes \(known) and \(size) differ (\(xShape), \(yShape))", at: layer)
                }
                sizes[label] = size
            }
        }
        let summed = (left + right.filter { !left.contains($0) }).filter { !output.contains($0) }
        let labels = output + summed
        let extents = labels.map { sizes[$0]! }
        let outputShape = output.map { sizes[$0]! }
        let xStrides = Tensor.strides(of: xShape), yStrides = Tensor.strides(of: yShape)
        let xWalk = labels.map { label in left.firstIndex(of: label).map { xStrides[$0] } ?? 0 }
        let yWalk = labels.map { label in right.firstIndex(of: label).map { yStrides[$0] } ?? 0 }
        let inner = summed.map { sizes[$0]! }.reduce(1, *)
        var values = [Int32](repeating: 0, count: outputShape.reduce(1, *))
        let total = extents.reduce(1, *)
        guard total > 0 else { return (outputShape, values) }
        var counter = [Int](repeating: 0, count: labels.count)
        var (xOffset, yOffset) = (0, 0)
        for position in 0..<total {
            values[position / inner] &+= Int32(x[xOffset]) &* Int32(y[yOffset])
            var axis = labels.count - 1
            while axis >= 0 {
                counter[axis] += 1
                xOffset += xWalk[axis]
                yOffset += yWalk[axis]
                if counter[axis] < extents[axis] { break }
                xOffset -= xWalk[axis] * extents[axis]
                yOffset -= yWalk[axis] * extents[axis]
                counter[axis] = 0
                axis -= 1
            }
        }
        return (outputShape, values)
    }
}
