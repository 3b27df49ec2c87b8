import KerasBytes
import KerasFormat
import KerasHDF5
import KerasJSON
import KerasReference
import KerasZip

/// FuzzConfig: bytes as `config.json` into the JSON reader (Keras's budgets), the value deserializer,
/// `ModelConfig.parse`, the safety policy and the model-graph build.
///
/// Properties: a document ``ValueDeserializer`` accepts re-serializes to a fixed point; the config is nil exactly when `KC-CFG-001` is reported; every envelope's JSON pointer
/// (the root's and every layer's, nested models included) names that envelope's object in the document;
/// when the safety scan reports no error, the policy accepts every layer class. Then the graph is built:
/// the reference core has no public entry for a config alone, so the bytes go into an in-memory archive
/// with Keras's metadata and a weights file without variables, which `Checker` checks (safety included)
/// and, when it passes, `loadModel` builds in safe mode (never `predict`). A model that loads may name no
/// layer class outside the allow-list; the build may refuse a config but not crash, hang or allocate
/// beyond the budget.
enum ConfigFuzzCheck {
    /// Option bit 0: the tight budgets of ``FuzzLimits/json(tight:)``.
    static let tightLimits: UInt8 = 1 << 0
    /// Every option bit defined so far.
    static let definedOptions: UInt8 = tightLimits
    /// Where findings are located.
    static let location = Location(file: "fuzz.keras", member: "config.json")
    /// The allow-list of Keras 3.15.1 without user registrations.
    static let policy = SafetyPolicy()
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
        try checkValues(value)
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
        let refused = refusedLayers(config)
        let scanIsClean = !policy.scan(config: value, at: location).contains { $0.severity == .error }
        if scanIsClean, let first = refused.first {
            throw violation("a clean safety scan means every layer class is allowed", first)
        }
        let outcome = try build(input.body)
        if outcome == .accepted, let first = refused.first {
            throw violation("a model that loads names only allow-listed layer classes", first)
        }
        return outcome
    }

    /// The whole document through ``ValueDeserializer`` (safe mode, one sharing scope): a value it accepts
    /// re-serializes (``ValueSerializer``) to a config that deserializes again and re-serializes identically.
    static func checkValues(_ value: JSONValue) throws(FuzzViolation) {
        var first = ValueDeserializer()
        guard let deserialized = try? first.deserialize(value) else { return }
        let once = ValueSerializer.serialize(deserialized)
        var second = ValueDeserializer()
        let again: KerasValue
        do throws(ReferenceError) { again = try second.deserialize(once) } catch {
            throw violation("a re-serialized value deserializes", "\(error.code.ruleID) \(error.reason) at \(error.location)")
        }
        let twice = ValueSerializer.serialize(again)
        guard twice == once else { throw violation("re-serialization is a fixed point", "\(once) then \(twice)") }
    }

    /// The layer envelopes (the root's included) the policy refuses, each as `pointer: reason`. Special
    /// markers (`__lambda__`, `__numpy__`, ...) and function references are the scan's own business.
    static func refusedLayers(_ config: ModelConfig) -> [String] {
        ([config.root] + config.allLayers.map(\.envelope)).compactMap { envelope in
            guard !envelope.className.hasPrefix("__"), envelope.className != "function" else { return nil }
            // Keras defaults an absent registered_name to the class name; null stays nil (FORMAT.md 2.1).
            let registeredName = envelope.object.index(forKey: "registered_name") == nil
                ? envelope.className : envelope.object["registered_name"]?.stringValue
            guard case .refused(_, let reason) = policy.allowed(module: envelope.module, className: envelope.className,
                                                                registeredName: registeredName) else { return nil }
            return "\(envelope.pointer): \(reason)"
        }
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
        let limits = FuzzLimits.read()
        let file = KerasFile.read(bytes: ByteView(copying: archive), name: location.file, limits: limits)
        let result = Checker(limits: limits, policy: policy).check(file)
        if let error = result.findings.first(where: { $0.severity == .error }) { return .rejected(error.ruleID) }
        do throws(ReferenceError) { _ = try loadModel(file) } catch {
            return .rejected(error.code.ruleID)
        }
        return .accepted
    }

    private static func violation(_ property: String, _ detail: String) -> FuzzViolation {
        FuzzViolation(.config, property, detail)
    }
}
