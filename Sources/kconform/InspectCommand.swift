import ArgumentParser
import KerasFormat
import KerasJSON
import KerasReference

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
        // Which classes of this model the reference core cannot run, and how much of keras.ops it covers.
        let missing = file.config.map(ForwardMath.classesWithoutMath(in:)) ?? []
        let coverage = ForwardMath.operationCoverage
        switch format {
        case .text:
            var text = inspection.text()
            if file.config != nil {
                text += "\nForward math in kconform\n  classes without it: \(missing.isEmpty ? "none" : missing.joined(separator: ", "))\n"
                text += "  keras.ops: \(coverage.covered) of the \(coverage.total) operation classes of Keras 3.15.1 have forward math\n"
            }
            FileHandleOutput.standardOutput(text)
        case .json:
            var json = inspection.json()
            if case .object(var object) = json, file.config != nil {
                object["forwardMath"] = .object(JSONObject([
                    ("classesWithoutMath", .array(missing.map { .string($0) })),
                    ("operationsCovered", .number(JSONNumber(coverage.covered))), ("operationsTotal", .number(JSONNumber(coverage.total))),
                ]))
                json = .object(object)
            }
            FileHandleOutput.standardOutput(ReportRendering.json(json))
        }
    }
}
