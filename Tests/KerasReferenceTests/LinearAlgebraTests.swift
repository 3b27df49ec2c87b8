@testable import KerasReference
import Testing

/// `LinearAlgebra.matmul` against the textbook i-k-j loop: the packed, blocked and threaded kernel sums
/// every element in the same order (ascending k from 0), so the results must be equal bit for bit, on
/// every path (textbook, register tiles with row and column edges, depth and column blocks, row and
/// column splits over threads).
@Suite struct LinearAlgebraTests {
    /// A replayable stream of floats in [-1, 1) (SplitMix64).
    struct Numbers {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func float() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }

        mutating func floats(_ count: Int) -> [Float] { (0..<count).map { _ in float() } }

        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// `c = a · b` as `c[i, j] += a[i, p] * b[p, j]` for p ascending, from zero.
    static func textbook(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for row in 0..<m {
            for inner in 0..<k {
                for column in 0..<n { c[row * n + column] += a[row * k + inner] * b[inner * n + column] }
            }
        }
        return c
    }

    /// Equal bit for bit, or both NaN.
    static func identical(_ x: [Float], _ y: [Float]) -> Bool {
        x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    static func check(m: Int, k: Int, n: Int, seed: UInt64, maximumChunks: Int = .max) -> Bool {
        var numbers = Numbers(state: seed)
        let a = numbers.floats(m * k)
        let b = numbers.floats(k * n)
        return identical(LinearAlgebra.matmul(a, b, m: m, k: k, n: n, maximumChunks: maximumChunks), textbook(a, b, m: m, k: k, n: n))
    }

    /// Edge sizes around the 6 × 8 register tile, primes, zero.
    static let edges = [0, 1, 2, 5, 6, 7, 8, 9, 11, 13, 16, 17, 31, 48, 67, 70]

    @Test func edgeShapesEqualTheTextbookLoop() {
        var mismatches: [String] = []
        for m in Self.edges {
            for n in Self.edges {
                for k in [0, 1, 7, 13, 70] where !Self.check(m: m, k: k, n: n, seed: UInt64(m * 10_000 + n * 100 + k)) {
                    mismatches.append("\(m)×\(k)×\(n)")
                }
            }
        }
        #expect(mismatches.isEmpty)
    }

    @Test func randomShapesEqualTheTextbookLoop() {
        var numbers = Numbers(state: 42)
        var mismatches: [String] = []
        for trial in 0..<200 {
            let (m, k, n) = (numbers.below(71), numbers.below(71), numbers.below(71))
            if !Self.check(m: m, k: k, n: n, seed: UInt64(trial)) { mismatches.append("\(m)×\(k)×\(n)") }
        }
        #expect(mismatches.isEmpty)
    }

    /// Deeper than a depth block (256) and wider than a column block (256 columns): tiles are stored and
    /// reloaded between blocks; large enough to be split over threads.
    @Test func blockedProductsEqualTheTextbookLoop() {
        #expect(Self.check(m: 97, k: 300, n: 263, seed: 7))
        #expect(Self.check(m: 97, k: 300, n: 263, seed: 7, maximumChunks: 1))
    }

    /// Fewer row tiles than chunks: the product is split over column panels instead of rows; one row:
    /// the textbook loop split over columns.
    @Test func columnSplitsEqualTheTextbookLoop() {
        #expect(Self.check(m: 7, k: 300, n: 203, seed: 8))
        #expect(Self.check(m: 1, k: 600, n: 509, seed: 9))
    }

    @Test func productsAreBitIdenticalRunToRunAndAcrossThreadCounts() {
        var numbers = Numbers(state: 3)
        let (m, k, n) = (150, 260, 90)
        let a = numbers.floats(m * k)
        let b = numbers.floats(k * n)
        let first = LinearAlgebra.matmul(a, b, m: m, k: k, n: n)
        let second = LinearAlgebra.matmul(a, b, m: m, k: k, n: n)
        let single = LinearAlgebra.matmul(a, b, m: m, k: k, n: n, maximumChunks: 1)
        let two = LinearAlgebra.matmul(a, b, m: m, k: k, n: n, maximumChunks: 2)
        #expect(first.map(\.bitPattern) == second.map(\.bitPattern))
        #expect(first.map(\.bitPattern) == single.map(\.bitPattern))
        #expect(first.map(\.bitPattern) == two.map(\.bitPattern))
    }

    /// An infinity in `a` makes NaN in the zero-padded columns of the last panel; they must not leak.
    @Test func paddingColumnsDoNotLeakIntoTheResult() {
        var numbers = Numbers(state: 5)
        let (m, k, n) = (13, 9, 11)
        var a = numbers.floats(m * k)
        a[4 * k + 2] = .infinity
        let b = numbers.floats(k * n)
        let c = LinearAlgebra.matmul(a, b, m: m, k: k, n: n)
        #expect(Self.identical(c, Self.textbook(a, b, m: m, k: k, n: n)))
        #expect(c.enumerated().allSatisfy { index, value in index / n == 4 || value.isFinite })
    }

    /// Within float32 rounding of a double-precision product: the textbook reference itself is right.
    @Test func productsAgreeWithDoublePrecision() {
        var numbers = Numbers(state: 11)
        let (m, k, n) = (37, 129, 45)
        let a = numbers.floats(m * k)
        let b = numbers.floats(k * n)
        let c = LinearAlgebra.matmul(a, b, m: m, k: k, n: n)
        var worst: Double = 0
        for row in 0..<m {
            for column in 0..<n {
                var exact: Double = 0
                var magnitude: Double = 0
                for inner in 0..<k {
                    let term = Double(a[row * k + inner]) * Double(b[inner * n + column])
                    exact += term
                    magnitude += abs(term)
                }
                worst = max(worst, abs(Double(c[row * n + column]) - exact) / max(magnitude, 1e-30))
            }
        }
        #expect(worst < Double(k) * Double(Float.ulpOfOne))
    }

    @Test func emptyDepthGivesZeros() {
        #expect(LinearAlgebra.matmul([], [], m: 3, k: 0, n: 4) == [Float](repeating: 0, count: 12))
    }
}
