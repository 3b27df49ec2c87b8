/// The register-blocked float32 matrix product behind ``LinearAlgebra/matmul(_:_:m:k:n:)``.
///
/// `b` is packed into panels of `panelWidth` columns (each panel `k` rows of 8 contiguous floats, zero past
/// `n`); a `tileRows` × `panelWidth` tile of `c` lives in registers (six `SIMD8`, twelve SSE registers)
/// while the kernel runs through a depth block of `a`'s six rows, read in place. Depth blocks keep a
/// panel slice and the rows of `a` in L1, column blocks keep the packed `b` block in L2.
///
/// Every element of `c` is `((0 + a₀b₀) + a₁b₁) + …` in ascending `k`, as the textbook loop computes it:
/// blocking changes which products sit in registers, never the order of the additions (a tile is stored
/// between depth blocks and reloaded, exactly), so the result is bit-identical to the naive loop.
enum MatmulKernel {
    /// Rows of a register tile: 6 × 2 SIMD4 accumulators plus `b` and a broadcast fill the 16 SSE registers.
    static let tileRows = 6
    /// Columns of a register tile and of a packed panel: one `SIMD8`.
    static let panelWidth = 8
    /// Products per depth block: a 256 × 8 panel slice (8 KiB) and six 256-float rows of `a` stay in L1.
    static let depthBlock = 256
    /// Panels per column block: a 256 × 256 block of packed `b` (256 KiB) stays in L2.
    static let columnBlockPanels = 32

    /// The number of panels `n` columns take.
    static func panels(_ n: Int) -> Int { (n + panelWidth - 1) / panelWidth }

    /// Packs the row-major `k × n` matrix `b` panel after panel: panel `p` holds columns
    /// `[8p, 8p + 8)` as `k` rows of 8 floats, zeros past column `n`.
    static func pack(_ b: UnsafePointer<Float>, k: Int, n: Int, into packed: UnsafeMutablePointer<Float>) {
        let panelCount = panels(n)
        let panelStride = k * panelWidth
        for row in 0..<k {
            let source = b + row * n
            for panel in 0..<panelCount {
                let column = panel * panelWidth
                let target = packed + panel * panelStride + row * panelWidth
                let width = min(panelWidth, n - column)
                if width == panelWidth {
                    UnsafeMutableRawPointer(target).storeBytes(
                        of: UnsafeRawPointer(source + column).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                } else {
                    for offset in 0..<panelWidth { target[offset] = offset < width ? source[column + offset] : 0 }
                }
            }
        }
    }

    /// `c[rows, panels] = a[rows, :] · b[:, panels]` for the row range `rows` and the panel range `panels`
    /// of a product whose `b` is `packed`; `c` is row-major `m × n` and is written, never read first.
    static func multiply(_ a: UnsafePointer<Float>, packed: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                         k: Int, n: Int, rows: Range<Int>, panels: Range<Int>) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: tileRows * panelWidth) { buffer in
            guard let scratch = buffer.baseAddress else { return }
            var firstPanel = panels.lowerBound
            while firstPanel < panels.upperBound {
                let endPanel = min(firstPanel + columnBlockPanels, panels.upperBound)
                var depthStart = 0
                while depthStart < k {
                    let depth = min(depthBlock, k - depthStart)
                    let accumulate = depthStart > 0
                    var row = rows.lowerBound
                    while row < rows.upperBound {
                        let tileRowCount = min(tileRows, rows.upperBound - row)
                        let aTile = a + row * k + depthStart
                        for panel in firstPanel..<endPanel {
                            let column = panel * panelWidth
                            let tileColumns = min(panelWidth, n - column)
                            let bTile = packed + (panel * k + depthStart) * panelWidth
                            let cTile = c + row * n + column
                            if tileRowCount == tileRows, tileColumns == panelWidth {
                                tile(aTile, lda: k, rows: tileRows, bTile, depth: depth, cTile, ldc: n, accumulate: accumulate)
                                continue
                            }
                            if accumulate {
                                for r in 0..<tileRowCount {
                                    for j in 0..<tileColumns { scratch[r * panelWidth + j] = cTile[r * n + j] }
                                }
                            }
                            tile(aTile, lda: k, rows: tileRowCount, bTile, depth: depth, scratch, ldc: panelWidth, accumulate: accumulate)
                            for r in 0..<tileRowCount {
                                for j in 0..<tileColumns { cTile[r * n + j] = scratch[r * panelWidth + j] }
                            }
                        }
                        row += tileRows
                    }
                    depthStart += depth
                }
                firstPanel = endPanel
            }
        }
    }

    /// The register tile: `c[0..<6, 0..<8] (+)= a[0..<6, 0..<depth] · panel[0..<depth, 0..<8]`. Rows of `a`
    /// past `rows` repeat the last row (their results land in rows of `c` the caller discards), so `c` must
    /// hold six rows.
    @inline(__always)
    private static func tile(_ a: UnsafePointer<Float>, lda: Int, rows: Int, _ panel: UnsafePointer<Float>, depth: Int,
                             _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        let last = rows - 1
        let a0 = a
        let a1 = a + min(1, last) * lda
        let a2 = a + min(2, last) * lda
        let a3 = a + min(3, last) * lda
        let a4 = a + min(4, last) * lda
        let a5 = a + min(5, last) * lda
        let c0 = UnsafeMutableRawPointer(c)
        let c1 = UnsafeMutableRawPointer(c + ldc)
        let c2 = UnsafeMutableRawPointer(c + 2 * ldc)
        let c3 = UnsafeMutableRawPointer(c + 3 * ldc)
        let c4 = UnsafeMutableRawPointer(c + 4 * ldc)
        let c5 = UnsafeMutableRawPointer(c + 5 * ldc)
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>()
        var s3 = SIMD8<Float>(), s4 = SIMD8<Float>(), s5 = SIMD8<Float>()
        if accumulate {
            s0 = c0.loadUnaligned(as: SIMD8<Float>.self)
            s1 = c1.loadUnaligned(as: SIMD8<Float>.self)
            s2 = c2.loadUnaligned(as: SIMD8<Float>.self)
            s3 = c3.loadUnaligned(as: SIMD8<Float>.self)
            s4 = c4.loadUnaligned(as: SIMD8<Float>.self)
            s5 = c5.loadUnaligned(as: SIMD8<Float>.self)
        }
        var b = UnsafeRawPointer(panel)
        for p in 0..<depth {
            let column = b.loadUnaligned(as: SIMD8<Float>.self)
            s0 += SIMD8(repeating: a0[p]) * column
            s1 += SIMD8(repeating: a1[p]) * column
            s2 += SIMD8(repeating: a2[p]) * column
            s3 += SIMD8(repeating: a3[p]) * column
            s4 += SIMD8(repeating: a4[p]) * column
            s5 += SIMD8(repeating: a5[p]) * column
            b += MemoryLayout<SIMD8<Float>>.stride
        }
        c0.storeBytes(of: s0, as: SIMD8<Float>.self)
        c1.storeBytes(of: s1, as: SIMD8<Float>.self)
        c2.storeBytes(of: s2, as: SIMD8<Float>.self)
        c3.storeBytes(of: s3, as: SIMD8<Float>.self)
        c4.storeBytes(of: s4, as: SIMD8<Float>.self)
        c5.storeBytes(of: s5, as: SIMD8<Float>.self)
    }
}
