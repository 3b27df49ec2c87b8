import ArgumentParser
import KerasFormat

/// `kconform rules`: the rule catalogue.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every rule: id, severity, threat class (A1-C6 of THREATS.md, or structural), source and rationale."
    )

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        switch format {
        case .text: FileHandleOutput.standardOutput(RuleListing.text())
        case .json: FileHandleOutput.standardOutput(ReportRendering.json(RuleListing.json()))
        }
    }
}
