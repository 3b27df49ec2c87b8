import ArgumentParser
import Foundation
import KerasReference

/// `kconform convert`: re-saves a model through the reference core.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Load a model with the reference core (safe mode) and save it again; OUT's name chooses the format.",
        discussion: """
            OUT ending in .keras writes an archive; OUT that is an existing directory or ends in '/' writes an \
            unzipped model folder (config.json, metadata.json, model.weights.h5, assets/), as Keras's \
            save_model(zipped=False) does; OUT ending in .weights.h5 writes the weights only; any other OUT ending \
            in .h5 writes a legacy HDF5 full model as Keras 3 does (without optimizer state). Every output is \
            written atomically: on failure OUT is left as it was. An existing directory is replaced only if it \
            holds nothing but a model's files.
            """
    )

    @Argument(help: "The model to read: .keras, a model folder, or a legacy .h5.")
    var input: String

    @Argument(help: "Where to write: a .keras, .weights.h5 or legacy .h5 path, or a folder (a directory or a path ending in '/').")
    var output: String

    @Flag(help: "Print the wall time of the load and of the save to standard error (`timing load 0.123456 s`).")
    var timings = false

    @Flag(help: "Keep OUT if it exists (fail instead of replacing it).")
    var noOverwrite = false

    /// Whether OUT names a folder: an existing directory, or a path ending in '/'.
    var writesFolder: Bool {
        var isDirectory: ObjCBool = false
        return output.hasSuffix("/") || (FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    func validate() throws {
        guard writesFolder || output.hasSuffix(".keras") || output.hasSuffix(".h5") else {
            throw ValidationError("OUT must end in .keras, .weights.h5 or .h5, or be a folder (a directory or a path ending in '/')")
        }
    }

    func run() throws {
        do {
            let clock = ContinuousClock()
            let loadStarted = clock.now
            let model = try loadModel(from: input)
            if timings { Timing.report("load", since: loadStarted, clock) }
            let saveStarted = clock.now
            defer { if timings { Timing.report("save", since: saveStarted, clock) } }
            if writesFolder {
                try model.save(to: output, overwrite: !noOverwrite, zipped: false)
                return
            }
            if noOverwrite, FileManager.default.fileExists(atPath: output) {
                throw ReferenceError(ReferenceError.Code.saveFailed, "\(output) exists and --no-overwrite is given", at: output)
            }
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
