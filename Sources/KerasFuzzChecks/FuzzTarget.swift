/// The fuzz targets, each one surface of kconform fed untrusted bytes, with the properties it checks.
///
/// The harnesses in `Fuzz/Sources/<Target>` call ``testOneInput(_:_:)``; the main test suite replays every
/// input in `Fuzz/FailCases` through ``run(_:)``, so both go through this one code path.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The zip reader: whatever it reads extracts within budget and survives a rewrite through `ZipWriter`.
    case zip = "FuzzZip"
    /// The HDF5 reader: whatever it opens walks and reads completely and survives a rewrite through
    /// `HDF5Writer` as far as the Keras profile goes.
    case hdf5 = "FuzzHDF5"
    /// The JSON reader: whatever it parses is written and parsed back to an equal value.
    case json = "FuzzJSON"
    /// `config.json` bytes through the JSON reader and the model config envelope.
    case config = "FuzzConfig"
    /// A whole file through `KerasFile`, `Checker` and both report formats, as `kconform check` and
    /// `kconform inspect` see it.
    case kerasFile = "FuzzKerasFile"
    /// Bytes as the model generator's choices: a generated model saved in memory must load and predict bit
    /// for bit as before, and structural mutations of its archive must be refused with a rule or load.
    case structured = "FuzzStructured"

    /// The target of a `Fuzz/FailCases` file, named `<Target>-<symptom>`; nil for any other name.
    public init?(failCaseName name: String) {
        guard let dash = name.firstIndex(of: "-"), let target = FuzzTarget(rawValue: String(name[..<dash])) else {
            return nil
        }
        self = target
    }

    /// The option bits this target defines (Fuzz/README.md lists them).
    public var definedOptions: UInt8 {
        switch self {
        case .zip: ZipFuzzCheck.definedOptions
        case .hdf5: HDF5FuzzCheck.definedOptions
        case .json: JSONFuzzCheck.definedOptions
        case .config: ConfigFuzzCheck.definedOptions
        case .kerasFile: KerasFileFuzzCheck.definedOptions
        case .structured: StructuredFuzzCheck.definedOptions
        }
    }

    /// Runs one input through the target; throws when a property fails.
    public func run(_ bytes: UnsafeRawBufferPointer) throws(FuzzViolation) -> FuzzOutcome {
        guard let input = FuzzInput(bytes, definedOptions: definedOptions) else { return .invalidOptions }
        switch self {
        case .zip: return try ZipFuzzCheck.run(input)
        case .hdf5: return try HDF5FuzzCheck.run(input)
        case .json: return try JSONFuzzCheck.run(input)
        case .config: return try ConfigFuzzCheck.run(input)
        case .kerasFile: return try KerasFileFuzzCheck.run(input)
        case .structured: return try StructuredFuzzCheck.run(input)
        }
    }

    /// Runs `bytes` through the target.
    public func run(_ bytes: [UInt8]) throws(FuzzViolation) -> FuzzOutcome {
        try bytes.withUnsafeBytes { raw in Result { () throws(FuzzViolation) in try run(raw) } }.get()
    }

    /// libFuzzer's `LLVMFuzzerTestOneInput`: 0 for a kept input, -1 for one with undefined options (libFuzzer
    /// leaves it out of the corpus). A broken property stops the process, so libFuzzer saves the input.
    public func testOneInput(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
        do throws(FuzzViolation) {
            let outcome = try run(UnsafeRawBufferPointer(start: data, count: size))
            return outcome == .invalidOptions ? -1 : 0
        } catch {
            fatalError(error.description)
        }
    }
}
