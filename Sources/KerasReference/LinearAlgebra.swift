/// The one matrix product every layer goes through, so that a BLAS or a faster Swift kernel can serve it.
enum LinearAlgebra {
    /// Products of fewer multiply-adds, or of fewer rows than a register tile, skip packing and run the
    /// textbook loop (vectorised over columns): packing would cost more than it saves.
    static let blockedMinimumWork = 1 << 13

    /// `c[m×n] = a[m×k] · b[k×n]`, row-major, float32 with float32 accumulation (as XLA on CPU).
    ///
    /// Each element is summed in ascending `k` from 0, whatever the path and the number of threads, so
    /// results are deterministic bit for bit. Traps when `a` or `b` is shorter than its shape (caller misuse).
    static func matmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        matmul(a, b, m: m, k: k, n: n, maximumChunks: Int.max)
    }

    /// ``matmul(_:_:m:k:n:)`` split into at most `maximumChunks` concurrent chunks (1: the calling thread only).
    static func matmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, maximumChunks: Int) -> [Float] {
        precondition(m >= 0 && k >= 0 && n >= 0 && maximumChunks >= 1, "matmul of \(m)×\(k) by \(k)×\(n)")
        let (aCount, aOverflow) = m.multipliedReportingOverflow(by: k)
        let (bCount, bOverflow) = k.multipliedReportingOverflow(by: n)
        precondition(!aOverflow && !bOverflow && a.count >= aCount && b.count >= bCount,
                     "matmul of \(m)×\(k) by \(k)×\(n) given \(a.count) and \(b.count) elements")
        let (count, countOverflow) = m.multipliedReportingOverflow(by: n)
        precondition(!countOverflow, "matmul of \(m)×\(k) by \(k)×\(n)")
        let (work, workOverflow) = count.multipliedReportingOverflow(by: k)
        let products = workOverflow ? Int.max : work
        if k == 0 || count == 0 { return [Float](repeating: 0, count: count) }
        if m < MatmulKernel.tileRows || products < blockedMinimumWork {
            return textbook(a, b, m: m, k: k, n: n, chunks: min(maximumChunks, ParallelWork.chunks(work: products, limit: n)))
        }
        let panelCount = MatmulKernel.panels(n)
        let packed = [Float](unsafeUninitializedCapacity: panelCount * MatmulKernel.panelWidth * k) { buffer, initialized in
            b.withUnsafeBufferPointer { b in
                // Both base addresses exist: k > 0 and n > 0 here.
                MatmulKernel.pack(b.baseAddress!, k: k, n: n, into: buffer.baseAddress!)
            }
            initialized = buffer.count
        }
        let tiles = (m + MatmulKernel.tileRows - 1) / MatmulKernel.tileRows
        let chunks = min(maximumChunks, ParallelWork.chunks(work: products, limit: max(tiles, panelCount)))
        let splitRows = tiles >= chunks
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            a.withUnsafeBufferPointer { a in
                packed.withUnsafeBufferPointer { packed in
                    let (aBase, packedBase, cBase) = (a.baseAddress!, packed.baseAddress!, buffer.baseAddress!)
                    ParallelWork.run(chunks) { chunk in
                        if splitRows {
                            let tileRange = ParallelWork.range(chunk, of: chunks, total: tiles)
                            let rows = (tileRange.lowerBound * MatmulKernel.tileRows)..<min(m, tileRange.upperBound * MatmulKernel.tileRows)
                            MatmulKernel.multiply(aBase, packed: packedBase, cBase, k: k, n: n, rows: rows, panels: 0..<panelCount)
                        } else {
                            let panels = ParallelWork.range(chunk, of: chunks, total: panelCount)
                            MatmulKernel.multiply(aBase, packed: packedBase, cBase, k: k, n: n, rows: 0..<m, panels: panels)
                        }
                    }
                }
            }
            initialized = count
        }
    }

    /// The i-k-j loop, its columns split into `chunks` ranges.
    private static func textbook(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, chunks: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    let (a, b, c) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
                    ParallelWork.run(chunks) { chunk in
                        let columns = ParallelWork.range(chunk, of: chunks, total: n)
                        for row in 0..<m {
                            let cRow = c + row * n
                            for inner in 0..<k {
                                let scale = a[row * k + inner]
                                let bRow = b + inner * n
                                for column in columns { cRow[column] += scale * bRow[column] }
                            }
                        }
                    }
                }
            }
        }
        return c
    }
}
