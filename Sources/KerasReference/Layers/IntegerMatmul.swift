/// The int8 x int8 matrix product with int32 accumulation that the JAX backend asks XLA for when both
/// operands are int8 (`matmul`, keras/src/backend/jax/numpy.py 154-182: `preferred_element_type="int32"`):
/// exact, wrapping on overflow as int32 does.
enum IntegerMatmul {
    /// `c[m×n] = a[m×k] · b[k×n]`, row-major.
    static func int32(_ a: [Int8], _ b: [Int8], m: Int, k: Int, n: Int) -> [Int32] {
        precondition(a.count == m * k && b.count == k * n, "int8 matmul of \(a.count) and \(b.count) elements is not \(m)x\(k) by \(k)x\(n)")
        var c = [Int32](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for row in 0..<m {
                        for inner in 0..<k {
                            let scale = Int32(a[row * k + inner])
                            guard scale != 0 else { continue }
                            let bRow = inner * n, cRow = row * n
                            for column in 0..<n { c[cRow + column] &+= scale &* Int32(b[bRow + column]) }
                        }
                    }
                }
            }
        }
        return c
    }
}
