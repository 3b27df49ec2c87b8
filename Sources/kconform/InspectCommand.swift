import ArgumentParser
import KerasFormat

/// `kconform inspect`: what a file holds, without judging it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a file's kind, producer, members, model class, layers and every variable with shape, dtype and size."
    )

    @Argument(help: "The file or model folder to inspect.")
    var path: String

    @Option(help: "Output format: text or json (json starts with schemaVersion).")
    var format: OutputFormat = .text

    func run() throws {
        let file: KerasFile
        do { file = try KerasFile.open(path) } catch {
            FileHandleOutput.standardError("kconform: \(error)\n")
            throw ExitCode(2)
        }
        let inspection = Inspection(file)
        switch format {
        case .text: FileHandleOutput.standardOutput(inspection.text())
        case .json: FileHandleOutput.standardOutput(ReportRendering.json(inspection.json()))
        }
    }
}
