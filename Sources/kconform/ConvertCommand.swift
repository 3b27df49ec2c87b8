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
            weights-only layout (tf-keras save_weights("x.h5")), which load_weights of both Keras versions reads. OUT ending in \
            .weights.json with --max-shard-size writes sharded weights as save_weights(OUT, max_shard_size=...) does: the index \
            and <name>_00000.weights.h5, <name>_00001.weights.h5, ... beside it. Every output is \
            written atomically: on failure OUT is left as it was. An existing directory is replaced only if it \
            holds nothing but a model's files.
            """
    )

    @Argument(help: "The model to read: .keras, a model folder, or a legacy .h5.")
    var input: String

    @Argument(help: "Where to write: a .keras, .weights.h5, .weights.json (sharded) or legacy .h5 path, or a folder (a directory or a path ending in '/').")
    var output: String

    @Option(help: ArgumentHelp("With a .weights.json OUT: the largest shard, in GB as Keras's max_shard_size (0.5), or with a unit (B, KB, MB, GB; powers of 1024: 10MB).", valueName: "size"))
    var maxShardSize: String?

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

    /// `--max-shard-size` in GB: a plain number is GB, as Keras's `max_shard_size`; a unit scales it.
    static func shardSize(_ text: String) -> Double? {
        let units: [(String, Double)] = [("KB", 1024), ("MB", 1024 * 1024), ("GB", 1024 * 1024 * 1024), ("B", 1)]
        let upper = text.uppercased()
        for (unit, scale) in units where upper.hasSuffix(unit) {
            guard let value = Double(upper.dropLast(unit.count)), value.isFinite, value > 0 else { return nil }
            return value * scale / (1024 * 1024 * 1024)
        }
        guard let value = Double(text), value.isFinite, value > 0 else { return nil }
        return value
    }

    func validate() throws {
        if output.hasSuffix(".weights.json") {
            guard let size = maxShardSize else { throw ValidationError("a .weights.json OUT needs --max-shard-size (sharded weights)") }
            guard Self.shardSize(size) != nil else { throw ValidationError("--max-shard-size must be a positive number of GB or a size with a unit (10MB), got \(size)") }
            if flavor != .keras3 || weightsOnly { throw ValidationError("--flavor and --weights-only apply to a legacy .h5 OUT") }
            return
        }
        if maxShardSize != nil { throw ValidationError("--max-shard-size applies to a .weights.json OUT") }
        guard writesFolder || output.hasSuffix(".keras") || output.hasSuffix(".h5") else {
            throw ValidationError("OUT must end in .keras, .weights.h5, .weights.json or .h5, or be a folder (a directory or a path ending in '/')")
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
            defer {
                Self.reportWarnings(model)
                if timings { Timing.report("save", since: saveStarted, clock) }
            }
            if writesFolder {
                try model.save(to: output, overwrite: !noOverwrite, zipped: false)
                return
            }
            if noOverwrite, FileManager.default.fileExists(atPath: output) {
                throw ReferenceError(ReferenceError.Code.saveFailed, "\(output) exists and --no-overwrite is given", at: output)
            }
            if output.hasSuffix(".weights.json"), let size = maxShardSize.flatMap(Self.shardSize) {
                try model.saveShardedWeights(to: output, maxShardSize: size)
            } else if output.hasSuffix(".weights.h5") {
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

extension ConvertCommand {
    /// Prints what the save could not carry over (``KerasModel/saveWarnings``) to standard error.
    static func reportWarnings(_ model: KerasModel) {
        for warning in model.saveWarnings { FileHandleOutput.standardError("kconform: warning: \(warning)\n") }
    }
}
