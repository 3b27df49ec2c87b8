import Foundation
import KerasBytes
import KerasFormat
import KerasHDF5
import KerasJSON
import KerasZip

extension KerasModel {
    /// Builds the model `config` describes (a `config.json` document), every variable created and zero,
    /// like `keras.saving.deserialize_keras_object(config)`: the config is checked as if it were read
    /// from a `.keras` archive (so every rule applies), then built with `options`. Saving the model
    /// writes `config` as given and the variables as assigned.
    public static func build(config: JSONValue, options: LoadOptions = LoadOptions(), limits: ReadLimits = ReadLimits()) throws(ReferenceError) -> KerasModel {
        var zip = ZipWriter()
        let metadata = JSONValue.object(JSONObject([("keras_version", .string(kerasVersion)), ("date_saved", .string("1970-01-01@00:00:00"))]))
        zip.addFile(name: "metadata.json", contents: ByteView(copying: JSONWriter.dumpBytes(metadata)))
        zip.addFile(name: "config.json", contents: ByteView(copying: JSONWriter.dumpBytes(config)))
        let archive: [UInt8]
        do {
            zip.addFile(name: "model.weights.h5", contents: ByteView(copying: try HDF5Writer(destination: .fileObject).finish()))
            archive = try zip.archiveBytes()
        } catch {
            throw ReferenceError(ReferenceError.Code.saveFailed, "cannot assemble an archive for the config: \(error)")
        }
        let file = KerasFile.read(bytes: ByteView(copying: archive), name: "built.keras", limits: limits)
        try SafeMode.refuseLambdas(in: file, options: options)
        try AllocationBudget.check(file)
        if let fatal = file.findings.first(where: { $0.severity == .error }) {
            throw ReferenceError(ReferenceError.Code.notAModel, "\(fatal.ruleID): \(fatal.message)", at: fatal.location.description)
        }
        guard let modelConfig = file.config else { throw ReferenceError(ReferenceError.Code.notAModel, "the config is not a model", at: "config.json") }
        // Built in a fresh naming session, as a load is (``AutoName``), so that saving and loading again
        // give unnamed sub-layers the same names.
        do {
            return try AutoName.$session.withValue(AutoName()) { () throws(ReferenceError) -> KerasModel in
                let root = try LayerRegistry.make(modelConfig.root, options: options)
                try DryRun.buildUnbuiltLayers(root)
                return KerasModel(file: file, root: root, options: options)
            }
        } catch let error as ReferenceError {
            throw error
        } catch {
            throw ReferenceError(ReferenceError.Code.loadFailed, "\(error)", at: "config.json")
        }
    }

    /// The `.keras` archive `save(to:)` writes, in memory: `metadata.json` (with `date`; nil means now),
    /// `config.json`, `model.weights.h5` and the assets, in Keras's member order. For round trips that need
    /// no file: `KerasFile.read(bytes:name:)` reads it back.
    public func archiveBytes(date: Date? = nil) throws(ReferenceError) -> [UInt8] {
        var zip = ZipWriter()
        zip.addFile(name: "metadata.json", contents: ByteView(copying: metadataJSON(date: date ?? Date())))
        zip.addFile(name: "config.json", contents: ByteView(copying: try configJSON()))
        zip.addFile(name: "model.weights.h5", contents: ByteView(copying: try weightsBytes(destination: .fileObject)), modified: .now())
        for (name, bytes) in try assets() { zip.addFile(name: name, contents: bytes, modified: .now(), externalAttributes: 0o100644 << 16) }
        do throws(ZipWriteError) { return try zip.archiveBytes() } catch {
            throw ReferenceError(ReferenceError.Code.saveFailed, error.description, at: file.path)
        }
    }

    /// Every object that holds variables, in the order and with the paths Keras saves them
    /// (`layers/dense/vars`), each with its layer.
    public var saveableObjects: [(path: String, layer: any Layer)] {
        SaveableTraversal.visit(root).map { ($0.path, $0.layer) }
    }
}

extension SafeMode {
    /// With safe mode on, refuses a file whose config holds a lambda anywhere, before any other check of
    /// the config: a lambda is reported as such (with its JSON pointer) even where the config is also
    /// malformed around it, as a safety gate must.
    static func refuseLambdas(in file: KerasFile, options: LoadOptions) throws(ReferenceError) {
        guard options.safeMode, let config = file.configJSON, let pointer = firstLambda(in: config, pointer: "") else { return }
        throw refusal(at: pointer)
    }

    /// Keras's safe-mode error (SER:679-688) for the lambda at `pointer`.
    static func refusal(at pointer: String) -> ReferenceError {
        ReferenceError(ReferenceError.Code.unsafeLambda,
                       "Requested the deserialization of a Python lambda; it is refused in safe mode (pass safeMode: false to load it; kconform never runs it)",
                       at: pointer)
    }
}

/// What building a config allocates, bounded before the build: the variable elements the config declares
/// beyond what the weights store (`KC-W-015`, ``DeclaredShapeLimits/maxUnstoredVariableElements``); a file
/// that stores its variables pays for them with its own size.
enum AllocationBudget {
    static func check(_ file: KerasFile) throws(ReferenceError) {
        guard let budget = DeclaredShapeCheck().findings(file).first(where: { $0.ruleID == Rule.variableBudget.id }) else { return }
        throw ReferenceError(ReferenceError.Code.invalidConfig, "\(budget.ruleID): \(budget.message)", at: budget.location.jsonPointer ?? file.path)
    }
}
