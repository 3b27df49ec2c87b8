import ArgumentParser
import Foundation
import KerasReference

extension LegacyFlavor: ExpressibleByArgument {}

/// `kconform convert`: re-saves a model through the reference core.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Load a model with the reference core (safe mode) and save it again; OUT's name chooses the format.",
        discussion: """
            OUT ending in .keras writes an archive; OUT that is an existing directory or ends in '/' writes an \
            unzipped model folder (config.json, metadata.json, model.weights.h5, assets/), as Keras's \
            save_model(zipped=False) does; OUT ending in .weights.h5 writes the weights only; any other OUT ending \
            in .h5 writes a legacy HDF5 full model as Keras 3 does (without optimizer state), or with --flavor keras2 \
            as tf-keras 2.x does (tf_keras.models.load_model reads it); --weights-only with an .h5 OUT writes Keras 2's \
            weights-only layout (tf-keras save_weights("x.h5")), which load_weights of both Keras versions reads. Every output is \
            written atomically: on failure OUT is left as it was. An existing directory is replaced only if it \
            holds nothing but a model's files.
            """
    )

    @Argument(help: "The model to read: .keras, a model folder, or a legacy .h5.")
    var input: String

    @Argument(help: "Where to write: a .keras, .weights.h5 or legacy .h5 path, or a folder (a directory or a path ending in '/').")
    var output: String

    @Option(help: "The dialect of a legacy .h5 OUT: keras3 (Keras 3's legacy_h5_format) or keras2 (tf-keras 2.x).")
    var flavor: LegacyFlavor = .keras3

    @Flag(help: "With an .h5 OUT not ending in .weights.h5: write Keras 2's weights-only layout instead of a full model.")
    var weightsOnly = false

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
        let legacyOut = output.hasSuffix(".h5") && !output.hasSuffix(".weights.h5") && !writesFolder
        if flavor != .keras3, !legacyOut { throw ValidationError("--flavor applies to a legacy .h5 OUT (not .keras, .weights.h5 or a folder)") }
        if weightsOnly, !legacyOut { throw ValidationError("--weights-only applies to a legacy .h5 OUT; a .weights.h5 OUT is weights-only already") }
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
            } else if output.hasSuffix(".h5"), weightsOnly {
                try model.saveKeras2Weights(to: output)
            } else if output.hasSuffix(".h5") {
                try model.saveLegacyH5(to: output, flavor: flavor)
            } else {
                try model.save(to: output, overwrite: !noOverwrite)
            }
        } catch {
            FileHandleOutput.standardError("kconform: \(error)\n")
            throw ExitCode(1)
        }
    }
}
