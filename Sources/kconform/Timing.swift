/// The `--timings` lines of `predict` and `convert`: `timing <phase> <seconds> s` on standard error, for
/// Benchmarks/run-reference-benchmark.sh.
enum Timing {
    static func report(_ phase: String, since start: ContinuousClock.Instant, _ clock: ContinuousClock) {
        let elapsed = start.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        FileHandleOutput.standardError("timing \(phase) \(String(format: "%.6f", seconds)) s\n")
    }
}
