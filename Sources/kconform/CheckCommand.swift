import ArgumentParser
import Foundation
import KerasFormat
import KerasJSON

/// `kconform check`: the structural and safety rules over files and folders, and one read of every variable;
/// with `--load`, a load by the reference core as well.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check files for conformance and safety: structure, members, config, weights layout and every dataset's bytes.",
        discussion: """
            A directory holding config.json is checked as a model folder; any other directory is searched for \
            .keras, .h5, .hdf5 and .weights.json files and model folders. Files named explicitly are always \
            checked, whatever their name. Every class, function and module a config names must be a Keras \
            modelling object or one of your own, registered with --allow or --allow-file. With --load, a file \
            that passes is also loaded by kconform's reference core as keras.saving.load_model would load it \
            (safe mode, config then weights), and every load error is a finding (KC-REF-*); KC-LOAD-001 says the \
            load was done. The loaded model is then run once on zeros in a child process limited to --predict-memory \
            MiB and --predict-seconds of CPU: KC-LOAD-005 gives its output shapes, KC-LOAD-006 names a layer kconform \
            has no math for, KC-LOAD-007 says it went over a limit. Exit status: 0 when no finding is an error, 1 when one is, 2 on \
            usage errors or unreadable paths.
            """
    )

    /// Output formats of `check`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
        case sarif
    }

    /// Above this many files, progress is reported on standard error even when it is not a terminal.
    static let progressFileCount = 100

    @Argument(help: "Files or folders to check.")
    var paths: [String]

    @Option(help: "Output format: text, json (starts with schemaVersion) or sarif (SARIF 2.1.0).")
    var format: Format = .text

    @Option(name: .customLong("allow"), help: ArgumentHelp(
        "Register one of your own objects (repeatable): PACKAGE>NAME as in registered_name, MODULE>NAME, PACKAGE>* or NAME.",
        valueName: "MODULE>NAME"))
    var allow: [String] = []

    @Option(name: .customLong("allow-file"), help: ArgumentHelp(
        "A file of registrations, one per line as for --allow; # starts a comment (repeatable).", valueName: "PATH"))
    var allowFiles: [String] = []

    @Flag(help: "Also load each file that passes with the reference core (safe mode, config then weights) and report what load_model would raise; then predict once on zeros under limits.")
    var load = false

    @Option(name: .customLong("predict-memory"), help: "With --load: the address-space limit in MiB of the child process that runs the loaded model once on zeros.")
    var predictMemory = PredictProbe.defaultMemoryMiB

    @Option(name: .customLong("predict-seconds"), help: "With --load: the CPU-time limit in seconds of that zero-input predict (0: do not run it).")
    var predictSeconds = PredictProbe.defaultCPUSeconds

    func validate() throws {
        for text in allow where AllowRegistration(text) == nil {
            throw ValidationError("--allow \(text): expected MODULE>NAME, PACKAGE>* or NAME")
        }
        guard PredictProbe.memoryRange.contains(predictMemory) else {
            throw ValidationError("--predict-memory must be within \(PredictProbe.memoryRange) MiB")
        }
        guard PredictProbe.secondsRange.contains(predictSeconds) else {
            throw ValidationError("--predict-seconds must be within \(PredictProbe.secondsRange)")
        }
    }

    func run() throws {
        var registrations = allow.compactMap(AllowRegistration.init)
        for file in allowFiles {
            do { registrations += try SafetyPolicy.registrations(fromFile: file) } catch {
                FileHandleOutput.standardError("kconform: --allow-file \(error)\n")
                throw ExitCode(2)
            }
        }
        let checker = Checker(policy: SafetyPolicy(registrations: registrations))
        let loader = LoadCheck(hasRegistrations: !registrations.isEmpty,
                               predictLimits: predictSeconds > 0 ? (predictMemory, predictSeconds) : nil)
        let targets = PathExpansion.expand(paths)
        let progress = Progress(total: targets.count)
        var results: [CheckResult] = []
        var unreadable: [KerasFileError] = []
        for (index, path) in targets.enumerated() {
            progress.starting(index, path)
            do {
                let file = try KerasFile.open(path, limits: checker.limits)
                let result = checker.check(file)
                guard load else {
                    results.append(result)
                    continue
                }
                results.append(CheckResult(path: result.path, kind: result.kind, findings: result.findings + loader.findings(file, after: result),
                                           datasetsRead: result.datasetsRead, bytesRead: result.bytesRead))
            } catch { unreadable.append(error) }
        }
        progress.finish()
        let report = CheckReport(results: results, unreadable: unreadable)
        switch format {
        case .text: FileHandleOutput.standardOutput(report.text())
        case .json: FileHandleOutput.standardOutput(ReportRendering.json(withLoadOption(report.json())))
        case .sarif: FileHandleOutput.standardOutput(ReportRendering.json(report.sarif()))
        }
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }

    /// The JSON report with `"load"` recording whether `--load` ran.
    private func withLoadOption(_ value: JSONValue) -> JSONValue {
        guard case .object(var object) = value else { return value }
        object["load"] = .bool(load)
        return .object(object)
    }
}
