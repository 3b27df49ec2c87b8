import ArgumentParser
import KerasReference

/// `kconform convert`: re-saves a model through the reference core.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Load a model with the reference core (safe mode) and save it again; OUT's name chooses the format.",
        discussion: """
            OUT ending in .keras writes an archive (atomically); OUT ending in .weights.h5 writes the weights only; \
            any other OUT ending in .h5 writes a legacy HDF5 full model as Keras 3 does (without optimizer state). \
            Folder output is not written yet.
            """
    )

    @Argument(help: "The model to read: .keras, a model folder, or a legacy .h5.")
    var input: String

    @Argument(help: "Where to write: a .keras, .weights.h5 or legacy .h5 path.")
    var output: String

    @Flag(help: "Keep the file at OUT if it exists.")
    var noOverwrite = false

    func validate() throws {
        guard output.hasSuffix(".keras") || output.hasSuffix(".h5") else {
            throw ValidationError("OUT must end in .keras, .weights.h5 or .h5")
        }
    }

    func run() throws {
        do {
            let model = try loadModel(from: input)
            if output.hasSuffix(".weights.h5") {
                try model.saveWeights(to: output)
            } else if output.hasSuffix(".h5") {
                try model.saveLegacyH5(to: output)
            } else {
                try model.save(to: output, overwrite: !noOverwrite)
            }
        } catch {
            FileHandleOutput.standardError("kconform: \(error)\n")
            throw ExitCode(1)
        }
    }
}
