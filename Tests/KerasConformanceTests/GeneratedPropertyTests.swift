import Foundation
import KerasConformance
import Testing

/// Properties 1 to 6 over generated models (``PropertySuite``), deterministic: seed 20261122, cases
/// 0..<60 by default (`KCONFORM_CASES` and `KCONFORM_SEED` change them for longer runs). Each case runs
/// round trips in 4 formats, name stability, one safe-mode placement, weights only, and every fourth case
/// robustness and oracles: about 480 property checks. A failure prints the case's replay command.
struct GeneratedPropertyTests {
    static let seed = UInt64(ProcessInfo.processInfo.environment["KCONFORM_SEED"] ?? "") ?? 20_261_122
    static let cases = Int(ProcessInfo.processInfo.environment["KCONFORM_CASES"] ?? "") ?? 60

    @Test func generatedModelsHoldEveryProperty() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kconform-properties-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let suite = PropertySuite(directory: directory)
        var results: [CaseResult] = []
        for index in 0..<Self.cases { results += suite.run(seed: Self.seed, index: index) }
        var counts: [CaseOutcome: Int] = [:]
        for result in results { counts[result.outcome, default: 0] += 1 }
        print("properties: \(results.count) checks over \(Self.cases) models:", counts.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))
        for result in results where result.outcome == .fail {
            Issue.record("\(result.name) \(result.property) \(result.format): \(result.detail)\n  replay: \(result.replay)\n  layers: \(result.layers.joined(separator: " "))")
        }
        #expect(results.count >= Self.cases * 4)
        #expect((counts[.pass] ?? 0) > results.count * 9 / 10)
    }
}
