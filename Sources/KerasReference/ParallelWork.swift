import Dispatch
import Foundation

/// Splits large numeric work over the processor's cores.
///
/// Every caller gives each chunk a disjoint part of the output and computes each element in a fixed order,
/// so results are bit-identical whatever the number of threads or the order in which chunks run.
enum ParallelWork {
    /// The cores available to this process, at most 16 (more threads than that do not pay on these sizes).
    static let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 16))

    /// The multiply-adds (or comparable element operations) below which a product runs on the calling
    /// thread alone: waking a worker costs around 10-50 µs, about the time of 2^18 multiply-adds.
    static let minimumWork = 1 << 18

    /// Chunks per thread: a worker that the system deschedules (another process on its core) holds up
    /// only a small chunk, which the calling thread would otherwise wait for.
    static let chunksPerThread = 4

    /// The number of chunks to split `work` operations into: 1 below `minimumWork` or on one core, else
    /// `chunksPerThread` per thread, at most `limit`.
    static func chunks(work: Int, limit: Int) -> Int {
        guard threads > 1, work >= minimumWork else { return 1 }
        return max(1, min(limit, threads * chunksPerThread))
    }

    /// Runs `body(chunk)` for every chunk in `0..<count`, concurrently when `count > 1`. `body` must touch
    /// only what its chunk owns (the callers write disjoint parts of one output and read shared inputs).
    static func run(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 {
            if count == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: count) { chunk in body(chunk) }
        }
    }

    /// The half-open range of chunk `chunk` when `total` items are split into `count` nearly equal chunks.
    static func range(_ chunk: Int, of count: Int, total: Int) -> Range<Int> {
        let base = total / count
        let extra = total % count
        let start = chunk * base + min(chunk, extra)
        return start..<(start + base + (chunk < extra ? 1 : 0))
    }
}
