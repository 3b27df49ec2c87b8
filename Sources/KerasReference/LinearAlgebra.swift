/// The one matrix product every layer goes through, so that a BLAS or a faster Swift kernel can serve it.
enum LinearAlgebra {
    /// `c[m×n] = a[m×k] · b[k×n]`, row-major, float32 with float32 accumulation (as XLA on CPU).
    static func matmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for row in 0..<m {
                        let cRow = row * n
                        for inner in 0..<k {
                            let scale = a[row * k + inner]
                            let bRow = inner * n
                            for column in 0..<n { c[cRow + column] += scale * b[bRow + column] }
                        }
                    }
                }
            }
        }
        return c
    }
}
