import ArgumentParser
import Foundation
import KerasConformance
import KerasFormat
import KerasReference

/// `kconform conform`: the golden corpus, conformance kits and the properties over generated models,
/// with a report.
struct ConformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conform",
        abstract: "Run the golden corpus, conformance kits and the conformance properties over generated models; write conformance.md and .json.",
        discussion: """
            --corpus DIR runs every model of DIR/MANIFEST.json and its subfolders' (Corpus/golden) against the \
            outputs Keras recorded. --kit DIR runs a conformance kit (kconform gen, or \
            scripts/conformance/gen_keras_models.py for one made by Keras). --generated N runs the properties on N \
            generated models of --seed S: save -> load -> predict bit for bit in .keras (file and memory), .h5 and \
            .weights.h5; names and bytes stable across save -> load -> save; a lambda placed anywhere refused by \
            safe mode at its JSON path and never run without it; weights-only loads into the same and another \
            architecture; and on every fourth model, damaged copies refused with a rule id and readers agreeing \
            with libzip and libhdf5. Outcomes: pass, fail, unsupported, known divergence, harness error. Exit \
            status: 0 when every case passed or is unsupported or a known divergence, 1 when one failed or no case \
            ran, 2 on usage errors.
            """
    )

    @Option(help: "A golden corpus folder holding MANIFEST.json (repeatable).")
    var corpus: [String] = []

    @Option(help: "A conformance kit folder (repeatable).")
    var kit: [String] = []

    @Option(help: "How many generated models to run the properties on.")
    var generated: Int = 0

    @Option(help: "The seed of the generated models.")
    var seed: UInt64 = 1

    @Option(help: "Run only generated case I (for replays; implies --generated I+1 when --generated is smaller).")
    var index: Int?

    @Option(help: "At most this many layers per generated model (1 to 64).")
    var maxLayers: Int = 10

    @Option(help: "Robustness and oracle properties on every n-th generated model (0: never).")
    var robustnessEvery: Int = 4

    @Option(help: "A list of known divergences: lines of NAME<TAB>REASON; a failing case so named is reported as a known divergence.")
    var knownDivergences: String?

    @Option(help: "Where to write conformance.md and conformance.json.")
    var report: String = "Reports"

    func validate() throws {
        guard generated >= 0, generated <= 1_000_000 else { throw ValidationError("--generated must be 0 to 1000000") }
        guard (1...64).contains(maxLayers) else { throw ValidationError("--max-layers must be 1 to 64") }
        guard robustnessEvery >= 0 else { throw ValidationError("--robustness-every must be 0 or more") }
        if let index, index < 0 { throw ValidationError("--index must be 0 or more") }
    }

    func run() throws {
        let started = Date(), clock = ContinuousClock(), start = clock.now
        var results: [CaseResult] = []
        for folder in corpus {
            let progress = Progress(total: 1, verbs: ("running", "ran"), noun: "corpus models")
            results += CorpusRunner.run(folder) { index, total, name in
                Progress(total: total, quietUpTo: 50, verbs: ("running", "ran"), noun: "corpus models").starting(index, name)
            }
            progress.finish()
        }
        for folder in kit {
            results += ConformanceKit.run(folder) { index, total, name in
                Progress(total: total, quietUpTo: 50, verbs: ("running", "ran"), noun: "kit models").starting(index, name)
            }
        }
        let indices = index.map { [$0] } ?? Array(0..<generated)
        if !indices.isEmpty {
            var settings = PropertySuite.Settings()
            settings.generator.maxLayers = maxLayers
            settings.robustnessEvery = robustnessEvery
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kconform-conform-\(getpid())").path
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let layersOption = maxLayers == 10 ? "" : " --max-layers \(maxLayers)"
            let robustnessOption = robustnessEvery == 4 ? "" : " --robustness-every \(robustnessEvery)"
            let suite = PropertySuite(settings: settings, directory: scratch) { seed, index in
                "kconform conform --seed \(seed) --index \(index)\(layersOption)\(robustnessOption)"
            }
            let progress = Progress(total: indices.count, quietUpTo: 50, verbs: ("running", "ran"), noun: "generated models")
            for (position, index) in indices.enumerated() {
                progress.starting(position, "seed \(seed) case \(index)")
                results += suite.run(seed: seed, index: index)
            }
            progress.finish()
        }
        if let knownDivergences { results = try Self.applying(knownDivergences, to: results) }
        let elapsed = (clock.now - start).components
        let command = (["kconform"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let conformance = ConformanceReport(command: command, version: KConformVersion.current, kerasVersion: KerasModel.kerasVersion, started: started,
                                            seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18, cases: results)
        do {
            try FileManager.default.createDirectory(atPath: report, withIntermediateDirectories: true)
            try conformance.json().write(to: URL(fileURLWithPath: report + "/conformance.json"), options: .atomic)
            try Data(conformance.markdown().utf8).write(to: URL(fileURLWithPath: report + "/conformance.md"), options: .atomic)
        } catch {
            FileHandleOutput.standardError("kconform: cannot write the report into \(report): \(error.localizedDescription)\n")
            throw ExitCode(2)
        }
        let counts = CaseOutcome.allCases.map { "\(conformance.counts[$0]) \($0.rawValue)" }.joined(separator: ", ")
        FileHandleOutput.standardOutput("\(conformance.counts.total) cases: \(counts); report: \(report)/conformance.md\n")
        for result in results where result.outcome == .fail || result.outcome == .harnessError {
            FileHandleOutput.standardOutput("\(result.outcome.rawValue): \(result.name) \(result.property) \(result.format): \(result.detail.prefix(300))\n  replay: \(result.replay)\n")
        }
        if conformance.counts.total == 0 { FileHandleOutput.standardError("kconform: no case ran; give --corpus, --kit or --generated\n") }
        if !conformance.passed { throw ExitCode(1) }
    }

    /// `results` with every failure named in the list at `path` turned into a known divergence.
    static func applying(_ path: String, to results: [CaseResult]) throws -> [CaseResult] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            FileHandleOutput.standardError("kconform: cannot read \(path)\n")
            throw ExitCode(2)
        }
        var reasons: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2 { reasons[String(parts[0])] = String(parts[1]) }
        }
        return results.map { result in
            guard result.outcome == .fail, let reason = reasons[result.name] else { return result }
            var known = result
            known.outcome = .knownDivergence
            known.detail = "\(reason) (seen: \(result.detail))"
            return known
        }
    }
}
