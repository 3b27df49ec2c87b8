import ArgumentParser
import Foundation
import KerasFormat

/// The `kconform` command: an independent checker and reference for Keras model files.
struct KConform: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kconform",
        abstract: "Check, inspect and explain Keras model files (.keras, model folders, .h5, .weights.h5, sharded weights).",
        discussion: """
            Untrusted bytes are parsed only by kconform's own bounds-checked readers; nothing in a file \
            is ever executed, imported, downloaded or opened.

            Exit status: 0 when no finding is an error, 1 when one is, 2 on usage errors or unreadable paths.
            """,
        version: KConformVersion.current,
        subcommands: [CheckCommand.self, InspectCommand.self, PredictCommand.self, ConvertCommand.self, GenCommand.self, ConformCommand.self, RulesCommand.self,
                      PredictProbeCommand.self]
    )

    /// Parses and runs; usage errors exit with status 2 (not ArgumentParser's 64) as documented.
    static func runMain() -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            Foundation.exit(0)
        } catch let status as ExitCode {
            Foundation.exit(status.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                let message = fullMessage(for: error)
                FileHandleOutput.standardError(message + "\n")
                Foundation.exit(2)
            }
            self.exit(withError: error)
        }
    }
}

@main
enum Entry {
    static func main() {
        KConform.runMain()
    }
}

/// Output format of the reports.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Writing reports to standard output and messages to standard error.
enum FileHandleOutput {
    static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
