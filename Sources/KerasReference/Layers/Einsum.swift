/// A two-operand `einsum` (`ops.einsum`, XLA `dot_general`) computed as batched matrix products through
/// ``LinearAlgebra/matmul(_:_:m:k:n:)``: labels in both operands and the output are batch axes, labels
/// in one operand and the output are rows (left) or columns (right), labels in both operands only are
/// contracted, labels in one operand only are summed out first. `...` stands for the leading or
/// trailing axes an operand has beyond its letters, aligned on the right as NumPy does.
struct Einsum: Sendable {
    let left: [Character]
    let right: [Character]
    let output: [Character]

    /// Parses `equation` for operands of `leftRank` and `rightRank` dimensions.
    init(_ equation: String, leftRank: Int, rightRank: Int, layer: String) throws(ReferenceError) {
        func invalid(_ why: String) -> ReferenceError {
            ReferenceError(ReferenceError.Code.invalidConfig, "einsum equation \"\(equation)\": \(why)", at: layer)
        }
        let sides = equation.filter { $0 != " " }.components(separatedBy: "->")
        guard sides.count == 2 else { throw invalid("needs exactly one \"->\"") }
        let operands = sides[0].components(separatedBy: ",")
        guard operands.count == 2 else { throw invalid("needs exactly two operands") }
        let elided = [(operands[0], leftRank), (operands[1], rightRank)].map { text, rank in
            text.contains("...") ? rank - text.replacingOccurrences(of: "...", with: "").count : 0
        }
        let widest = elided.max() ?? 0
        func expand(_ text: String, _ count: Int) throws(ReferenceError) -> [Character] {
            let parts = text.components(separatedBy: "...")
            guard parts.count <= 2, count >= 0 else { throw invalid("bad ellipsis in \"\(text)\"") }
            let letters = parts.joined()
            guard letters.allSatisfy({ $0.isASCII && $0.isLetter }) else { throw invalid("labels must be letters") }
            guard parts.count == 2 else { return Array(letters) }
            let placeholders = ((widest - count)..<widest).map { Character(Unicode.Scalar(0xE000 + $0)!) }
            return Array(parts[0]) + placeholders + Array(parts[1])
        }
        left = try expand(operands[0], elided[0])
        right = try expand(operands[1], elided[1])
        output = try expand(sides[1], sides[1].contains("...") ? widest : 0)
        guard left.count == leftRank, right.count == rightRank else {
            throw invalid("operands of rank \(leftRank) and \(rightRank) do not match")
        }
        for labels in [left, right, output] where Set(labels).count != labels.count {
            throw ReferenceError(ReferenceError.Code.notImplemented, "einsum \"\(equation)\": repeated labels (diagonals) are not implemented", at: layer)
        }
        guard Set(output).isSubset(of: Set(left).union(right)) else { throw invalid("an output label is in no operand") }
    }

    /// `einsum(x, y)`.
    func apply(_ x: Tensor, _ y: Tensor, layer: String) throws(ReferenceError) -> Tensor {
        var sizes: [Character: Int] = [:]
        for (labels, tensor) in [(left, x), (right, y)] {
            for (label, size) in zip(labels, tensor.shape) {
                if let known = sizes[label], known != size {
                    throw ReferenceError(ReferenceError.Code.inputMismatch, "einsum: label sizes \(known) and \(size) differ (\(x.shape), \(y.shape))", at: layer)
                }
                sizes[label] = size
            }
        }
        let outputSet = Set(output)
        // Labels of one operand only that are not in the output are summed out before the product.
        let (a, aLabels) = Self.reduce(x, left, keeping: outputSet.union(right))
        let (b, bLabels) = Self.reduce(y, right, keeping: outputSet.union(left))
        let batch = output.filter { aLabels.contains($0) && bLabels.contains($0) }
        let rows = output.filter { aLabels.contains($0) && !bLabels.contains($0) }
        let columns = output.filter { bLabels.contains($0) && !aLabels.contains($0) }
        let contracted = aLabels.filter { bLabels.contains($0) && !outputSet.contains($0) }
        let aMoved = a.transposed((batch + rows + contracted).map { aLabels.firstIndex(of: $0)! })
        let bMoved = b.transposed((batch + contracted + columns).map { bLabels.firstIndex(of: $0)! })
        let size = { (labels: [Character]) in labels.map { sizes[$0]! }.reduce(1, *) }
        let (batches, m, k, n) = (size(batch), size(rows), size(contracted), size(columns))
        var product = [Float]()
        product.reserveCapacity(batches * m * n)
        for index in 0..<batches {
            let lhs = Array(aMoved.scalars[(index * m * k)..<((index + 1) * m * k)])
            let rhs = Array(bMoved.scalars[(index * k * n)..<((index + 1) * k * n)])
            product += LinearAlgebra.matmul(lhs, rhs, m: m, k: k, n: n)
        }
        let productLabels = batch + rows + columns
        let result = Tensor(shape: productLabels.map { sizes[$0]! }, scalars: product)
        return result.transposed(output.map { productLabels.firstIndex(of: $0)! })
    }

    private static func reduce(_ tensor: Tensor, _ labels: [Character], keeping: Set<Character>) -> (Tensor, [Character]) {
        let dropped = Set(labels.indices.filter { !keeping.contains(labels[$0]) })
        guard !dropped.isEmpty else { return (tensor, labels) }
        return (tensor.summed(over: dropped), labels.indices.filter { !dropped.contains($0) }.map { labels[$0] })
    }
}
