import KerasBytes
import KerasFormat
import KerasJSON
import KerasReference

/// FuzzKerasFile: bytes as a whole file into `KerasFile.read`, `Checker.check` and the text and JSON
/// reports of `kconform check` and `kconform inspect`.
///
/// The option byte's low three bits choose the file name, which decides dispatch when the signature does
/// not (``names``; 7 is undefined); bit 3 loads with safe mode off. Properties: every finding's rule is in
/// the catalogue; bytes with a zip signature are read as an archive; a file that passes has a known kind;
/// both JSON reports parse back with our reader; a file that passes (safety policy included) is loaded by
/// the reference core (`loadModel`, config and weights, never `predict`), which may refuse it but not
/// crash; a model that loads names only allow-listed layer classes.
enum KerasFileFuzzCheck {
    /// The file names options 0 to 6 select: no extension (dispatch by signature alone), then the
    /// extensions Keras dispatches on. The sharded index sits in a directory that does not exist, so no
    /// shard is ever found on disk.
    static let names = [
        "fuzz", "model.keras", "model.h5", "model.weights.h5", "/nonexistent-kconform-fuzz/model.weights.json",
        "model.hdf5", "model.zip",
    ]
    /// Option bits 0 to 2: the index into ``names``.
    static let nameBits: UInt8 = 0b111
    /// Option bit 3: load with `LoadOptions.safeMode` off (a lambda loads but is never run).
    static let unsafeLoad: UInt8 = 1 << 3
    /// Every option bit defined so far.
    static let definedOptions: UInt8 = nameBits | unsafeLoad
    private static let zipSignature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    static func run(_ input: FuzzInput) throws(FuzzViolation) -> FuzzOutcome {
        let selector = Int(input.options & nameBits)
        guard selector < names.count else { return .invalidOptions }
        let limits = FuzzLimits.read()
        let file = KerasFile.read(bytes: input.body, name: names[selector], limits: limits)
        let result = Checker(limits: limits).check(file)
        if let unknown = result.findings.first(where: { RuleCatalogue.rule(id: $0.ruleID) == nil }) {
            throw violation("every finding has a catalogued rule", unknown.description)
        }
        if input.body.starts(with: zipSignature), file.kind != .kerasArchive {
            throw violation("zip bytes are read as an archive", "kind \(file.kind)")
        }
        if result.passed, file.kind == .unknown {
            throw violation("a passing file has a kind", "\(result.findings)")
        }
        try parsesBack(CheckReport(results: [result], unreadable: []).json(), "check")
        try parsesBack(Inspection(file).json(), "inspect")
        _ = CheckReport(results: [result], unreadable: []).text()
        _ = Inspection(file).text()
        if let error = result.findings.first(where: { $0.severity == .error }) { return .rejected(error.ruleID) }
        do throws(ReferenceError) {
            _ = try loadModel(file, options: LoadOptions(safeMode: !input.has(unsafeLoad)))
        } catch {
            return .rejected(error.code.ruleID)
        }
        if let config = file.config, let first = ConfigFuzzCheck.refusedLayers(config).first {
            throw violation("a model that loads names only allow-listed layer classes", first)
        }
        return .accepted
    }

    private static func parsesBack(_ report: JSONValue, _ command: String) throws(FuzzViolation) {
        let text = JSONWriter.dumpBytes(report, options: JSONWriter.Options(indent: 2))
        let parsed: JSONValue
        do throws(JSONError) { parsed = try JSONReader.parse(ByteView(copying: text)) } catch {
            throw violation("the \(command) JSON report parses", "\(error.code.ruleID) \(error.reason)")
        }
        guard parsed == report else {
            throw violation("the \(command) JSON report parses back equal", String(decoding: text.prefix(512), as: UTF8.self))
        }
    }

    private static func violation(_ property: String, _ detail: String) -> FuzzViolation {
        FuzzViolation(.kerasFile, property, detail)
    }
}
