import KerasReference
import Foundation

/// The report of a `kconform conform` run: every case with its outcome, counts per outcome, property,
/// format and layer class, and the replay command of every case that did not pass. Written as
/// `conformance.md` and `conformance.json`.
public struct ConformanceReport: Sendable, Codable {
    /// Outcome counts of one group of cases.
    public struct Counts: Sendable, Codable, Equatable {
        /// Cases per outcome (raw values of ``CaseOutcome``).
        public var outcomes: [String: Int] = [:]
        /// All cases of the group.
        public var total: Int { outcomes.values.reduce(0, +) }

        mutating func add(_ outcome: CaseOutcome) { outcomes[outcome.rawValue, default: 0] += 1 }

        /// The cases with `outcome`.
        public subscript(_ outcome: CaseOutcome) -> Int { outcomes[outcome.rawValue] ?? 0 }
    }

    /// The command line of the run.
    public var command: String
    /// kconform's version.
    public var version: String
    /// The Keras version kconform conforms to.
    public var kerasVersion: String
    /// When the run started (ISO 8601, UTC).
    public var started: String
    /// Wall-clock seconds of the run.
    public var seconds: Double
    /// Seconds spent per property, for throughput.
    public var secondsPerProperty: [String: Double]
    /// Every case.
    public var cases: [CaseResult]
    /// Counts over all cases.
    public var counts: Counts
    /// Counts per property.
    public var perProperty: [String: Counts]
    /// Counts per file format.
    public var perFormat: [String: Counts]
    /// Counts per layer class (a case counts once for each class its model uses).
    public var perLayer: [String: Counts]
    /// Counts per source (`generated`, `corpus`, `kit`).
    public var perSource: [String: Counts]

    /// The report of `cases`.
    public init(command: String, version: String, kerasVersion: String, started: Date, seconds: Double, cases: [CaseResult]) {
        self.command = command
        self.version = version
        self.kerasVersion = kerasVersion
        self.started = ISO8601DateFormatter().string(from: started)
        self.seconds = seconds
        secondsPerProperty = cases.reduce(into: [:]) { $0[$1.property, default: 0] += $1.seconds }
        self.cases = cases
        var counts = Counts(), perProperty: [String: Counts] = [:], perFormat: [String: Counts] = [:]
        var perLayer: [String: Counts] = [:], perSource: [String: Counts] = [:]
        for result in cases {
            counts.add(result.outcome)
            perProperty[result.property, default: Counts()].add(result.outcome)
            perFormat[result.format, default: Counts()].add(result.outcome)
            perSource[result.source, default: Counts()].add(result.outcome)
            for layer in Set(result.layers) { perLayer[layer, default: Counts()].add(result.outcome) }
        }
        self.counts = counts
        self.perProperty = perProperty
        self.perFormat = perFormat
        self.perLayer = perLayer
        self.perSource = perSource
    }

    /// Whether the run passed: at least one case, and no failure or harness error.
    public var passed: Bool { counts.total > 0 && counts[.fail] == 0 && counts[.harnessError] == 0 }

    /// `conformance.json`.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// `conformance.md`.
    public func markdown() -> String {
        var lines = ["# Conformance report", ""]
        lines.append("Written by `\(command)` (kconform \(version), conforming to Keras \(kerasVersion)), started \(started), \(String(format: "%.1f", seconds)) s.")
        lines.append("")
        lines.append("Verdict: **\(passed ? "pass" : counts.total == 0 ? "fail (no cases ran)" : "fail")**. Outcomes: " + Self.summary(counts) + ".")
        lines.append("")
        let coverage = ForwardMath.operationCoverage
        lines.append("Operations: \(coverage.covered) of the \(coverage.total) `keras.ops` operation classes of Keras \(kerasVersion) have forward math in the reference core; a model holding another is `unsupported` (KC-REF-008).")
        lines.append("")
        lines.append("Outcomes are a closed set: pass, fail, unsupported (the case needs a layer or format kconform does not implement; never counted as a pass), known divergence (a listed difference with Keras, with its reason), harness error (the run itself could not check the case).")
        lines += [""] + table("Source", perSource) + [""] + table("Property", perProperty) + [""] + table("Format", perFormat)
        if !secondsPerProperty.isEmpty {
            lines += ["", "| Property | cases | seconds | cases per second |", "|---|---:|---:|---:|"]
            for (property, seconds) in secondsPerProperty.sorted(by: { $0.key < $1.key }) {
                let count = perProperty[property]?.total ?? 0
                lines.append("| \(property) | \(count) | \(String(format: "%.2f", seconds)) | \(seconds > 0 ? String(format: "%.0f", Double(count) / seconds) : "-") |")
            }
        }
        lines += [""] + table("Layer class", perLayer)
        let notPassed = cases.filter { $0.outcome != .pass }
        lines += ["", "## Cases that did not pass (\(notPassed.count))", ""]
        if notPassed.isEmpty { lines.append("None.") }
        for result in notPassed.sorted(by: { ($0.outcome, $0.name) < ($1.outcome, $1.name) }) {
            lines.append("- **\(result.outcome.rawValue)** `\(result.name)` \(result.property) \(result.format): \(result.detail.replacingOccurrences(of: "\n", with: " "))")
            if !result.replay.isEmpty { lines.append("  replay: `\(result.replay)`") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func table(_ title: String, _ groups: [String: Counts]) -> [String] {
        let outcomes = CaseOutcome.allCases
        var lines = ["| \(title) | " + outcomes.map(\.rawValue).joined(separator: " | ") + " |", "|---|" + outcomes.map { _ in "---:" }.joined(separator: "|") + "|"]
        for (name, counts) in groups.sorted(by: { $0.key < $1.key }) {
            lines.append("| \(name) | " + outcomes.map { String(counts[$0]) }.joined(separator: " | ") + " |")
        }
        return lines
    }

    static func summary(_ counts: Counts) -> String {
        CaseOutcome.allCases.map { "\(counts[$0]) \($0.rawValue)" }.joined(separator: ", ")
    }
}
