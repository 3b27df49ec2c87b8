import ArgumentParser
import KerasFormat

/// `kconform check`: the structural rules over files and folders, and one read of every variable.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check files for conformance: structure, members, config, weights layout and every dataset's bytes.",
        discussion: """
            A directory holding config.json is checked as a model folder; any other directory is searched for \
            .keras, .h5, .hdf5 and .weights.json files and model folders. Files named explicitly are always \
            checked, whatever their name. Exit status: 0 when no finding is an error, 1 when one is, 2 on \
            usage errors or unreadable paths.
            """
    )

    @Argument(help: "Files or folders to check.")
    var paths: [String]

    @Option(help: "Output format: text or json (json starts with schemaVersion).")
    var format: OutputFormat = .text

    func run() throws {
        let checker = Checker()
        var results: [CheckResult] = []
        var unreadable: [KerasFileError] = []
        for path in PathExpansion.expand(paths) {
            do { results.append(try checker.check(path)) } catch { unreadable.append(error) }
        }
        let report = CheckReport(results: results, unreadable: unreadable)
        switch format {
        case .text: FileHandleOutput.standardOutput(report.text())
        case .json: FileHandleOutput.standardOutput(ReportRendering.json(report.json()))
        }
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}
