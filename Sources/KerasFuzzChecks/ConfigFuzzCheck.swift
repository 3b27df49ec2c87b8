import KerasBytes
import KerasFormat
import KerasHDF5
import KerasJSON
import KerasReference
import KerasZip

/// FuzzConfig: bytes as `config.json` into the JSON reader (Keras's budgets) and `ModelConfig.parse`.
///
/// Properties: the config is nil exactly when `KC-CFG-001` is reported; every envelope's JSON pointer
/// (the root's and every layer's, nested models included) names that envelope's object in the document.
/// Then the model graph is built: the reference core has no public entry for a config alone, so the
/// bytes go into an in-memory archive with Keras's metadata and a weights file without variables, which
/// `KerasFile` reads and, when no error is found, `loadModel` builds (in safe mode, never `predict`):
/// it may refuse the config, but must not crash, hang or allocate beyond the budget.
enum ConfigFuzzCheck {
    /// Option bit 0: the tight budgets of ``FuzzLimits/json(tight:)``.
    static let tightLimits: UInt8 = 1 << 0
    /// Every option bit defined so far.
    static let definedOptions: UInt8 = tightLimits
    /// Where findings are located.
    static let location = Location(file: "fuzz.keras", member: "config.json")
    /// The `metadata.json` Keras 3.15.1 writes.
    static let metadata = Array(#"{"keras_version": "3.15.1", "date_saved": "2026-01-01@00:00:00"}"#.utf8)
    /// A `model.weights.h5` holding no group and no variable, as `HDF5Writer` makes it for a file object.
    static let emptyWeights: [UInt8] = {
        do throws(HDF5WriteError) { return try HDF5Writer(destination: .fileObject).finish() } catch {
            fatalError("HDF5Writer cannot write an empty file: \(error)")
        }
    }()

    static func run(_ input: FuzzInput) throws(FuzzViolation) -> FuzzOutcome {
        let value: JSONValue
        do throws(JSONError) {
            value = try JSONReader.parseDocument(input.body, limits: FuzzLimits.json(tight: input.has(tightLimits))).value
        } catch {
            return .rejected(error.code.ruleID)
        }
        var findings: [Finding] = []
        let config = ModelConfig.parse(value, at: location, findings: &findings)
        let notEnvelope = findings.contains { $0.ruleID == Rule.configNotEnvelope.id }
        guard (config == nil) == notEnvelope else {
            throw violation("no config exactly when KC-CFG-001", "config \(config == nil ? "absent" : "present"), findings \(findings)")
        }
        guard let config else { return .rejected(Rule.configNotEnvelope.id) }
        for envelope in [config.root] + config.allLayers.map(\.envelope) {
            guard JSONPointerResolver.resolve(envelope.pointer, in: value) == .object(envelope.object) else {
                throw violation("envelope pointers name their envelope", "\(envelope.pointer) (\(envelope.className))")
            }
        }
        return try build(input.body)
    }

    /// Reads `config` inside an archive with metadata and empty weights, and loads the model when the file
    /// has no error.
    private static func build(_ config: ByteView) throws(FuzzViolation) -> FuzzOutcome {
        var writer = ZipWriter()
        writer.addFile(name: "metadata.json", contents: ByteView(copying: metadata))
        writer.addFile(name: "config.json", contents: config)
        writer.addFile(name: "model.weights.h5", contents: ByteView(copying: emptyWeights))
        let archive: [UInt8]
        do throws(ZipWriteError) { archive = try writer.archiveBytes() } catch {
            throw violation("ZipWriter archives a config", error.description)
        }
        let file = KerasFile.read(bytes: ByteView(copying: archive), name: location.file, limits: FuzzLimits.read())
        if let error = file.findings.first(where: { $0.severity == .error }) { return .rejected(error.ruleID) }
        do throws(ReferenceError) { _ = try loadModel(file) } catch {
            return .rejected(error.code.ruleID)
        }
        return .accepted
    }

    private static func violation(_ property: String, _ detail: String) -> FuzzViolation {
        FuzzViolation(.config, property, detail)
    }
}
