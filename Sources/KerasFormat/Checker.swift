import KerasBytes
import KerasHDF5
import KerasJSON
import KerasZip

/// The outcome of checking one path.
public struct CheckResult: Sendable {
    /// The path as given.
    public let path: String
    /// What the path holds.
    public let kind: KerasFileKind
    /// Every finding, in the order found.
    public let findings: [Finding]
    /// How many datasets had their data read (aliased datasets count once).
    public let datasetsRead: Int
    /// How many bytes of dataset data were read.
    public let bytesRead: Int

    /// A result; `Checker` makes them, renderings and tests may too.
    public init(path: String, kind: KerasFileKind, findings: [Finding], datasetsRead: Int, bytesRead: Int) {
        self.path = path
        self.kind = kind
        self.findings = findings
        self.datasetsRead = datasetsRead
        self.bytesRead = bytesRead
    }

    /// The number of findings of `severity`.
    public func count(_ severity: Severity) -> Int { findings.count { $0.severity == severity } }
    /// Whether no finding is an error.
    public var passed: Bool { count(.error) == 0 }
}

/// Runs the structural and safety rules over a file and reads every dataset's data once.
public struct Checker: Sendable {
    /// The budgets applied while reading.
    public var limits: ReadLimits
    /// What a config may name: the Keras allow-list plus the user's registrations.
    public var policy: SafetyPolicy

    /// A checker with `limits` and `policy`.
    public init(limits: ReadLimits = ReadLimits(), policy: SafetyPolicy = SafetyPolicy()) {
        self.limits = limits
        self.policy = policy
    }

    /// Opens and checks `path`; throws only when the path cannot be read at all.
    public func check(_ path: String) throws(KerasFileError) -> CheckResult {
        check(try KerasFile.open(path, limits: limits))
    }

    /// Checks an opened file: its findings, then one read of every dataset's data in every HDF5 file of
    /// the weights (variables or not), with a NaN/Inf count for floating-point data.
    public func check(_ file: KerasFile) -> CheckResult {
        var findings = file.findings + safetyFindings(file) + DeclaredShapeCheck().findings(file)
        var datasetsRead = 0
        var bytesRead = 0
        for source in file.weights?.sources ?? [] {
            var seen = Set<UInt64>()
            source.file.walk { node in
                guard case .dataset(let dataset) = node, seen.insert(dataset.address).inserted else { return }
                if isSizeBomb(dataset, in: source.file) { return }
                let here = Location(file: file.path, member: source.name, hdf5Path: dataset.path)
                let data: ByteView
                do throws(HDF5Error) { data = try source.file.data(of: dataset) } catch {
                    findings.append(Finding(RuleCatalogue.rule(for: error.code), error.reason, at: here))
                    return
                }
                datasetsRead += 1
                bytesRead += data.count
                let (dtype, _) = WeightDType.of(dataset)
                if let (nan, infinite) = FiniteScan.count(data, dtype: dtype), nan + infinite > 0 {
                    findings.append(Finding(.nonFiniteWeights, "\(nan) NaN and \(infinite) infinite values", at: here))
                }
            }
        }
        if let archive = file.archive { findings += verifyUnreadMembers(archive, file: file) }
        return CheckResult(path: file.path, kind: file.kind, findings: findings, datasetsRead: datasetsRead, bytesRead: bytesRead)
    }

    /// Whether the dataset declares more unstored bytes than the budget (`KC-W-011`, already reported while
    /// opening): its data is not materialised, so that a few stored bytes cannot cost gigabytes here.
    private func isSizeBomb(_ dataset: HDF5Dataset, in file: HDF5File) -> Bool {
        guard let declared = dataset.declaredByteCount, let stored = try? file.storageSize(of: dataset) else { return false }
        return declared > stored && declared - stored > limits.maxUnstoredDatasetBytes
    }

    /// The policy over every config the loader deserializes: `config.json`, or a legacy file's
    /// `model_config` and `training_config` (FORMAT.md 7.1: compiling reads the latter).
    private func safetyFindings(_ file: KerasFile) -> [Finding] {
        var findings: [Finding] = []
        let here = Location(file: file.path)
        if let config = file.configJSON {
            let location = file.kind == .legacyModel ? here.with(hdf5Path: "/@model_config") : here.with(member: KerasFileReader.configName)
            findings += policy.scan(config: config, at: location)
        }
        if file.kind == .legacyModel, let root = file.weights?.sources.first?.file.root,
           let text = root.attribute(named: "training_config")?.value.stringValue {
            let location = here.with(hdf5Path: "/@training_config")
            do throws(JSONError) {
                let review = LegacyTrainingConfig.review(try JSONReader.parse(text, limits: limits.json), at: location)
                findings += review.findings + policy.scan(config: review.scanned, at: location)
            } catch {
                findings.append(Finding(RuleCatalogue.rule(for: error.code), error.reason, at: location))
            }
        }
        findings += NpzScan(limits: limits).findings(file)
        return findings
    }

    /// CRC-32 and size of every member that opening did not already read (assets, extras, shadowed duplicates).
    private func verifyUnreadMembers(_ archive: ZipArchive, file: KerasFile) -> [Finding] {
        let read = [KerasFileReader.configName, KerasFileReader.metadataName, KerasFileReader.weightsName]
        var findings: [Finding] = []
        var budget = InflateBudget(limit: limits.maxInflatedBytes)
        for entry in archive.entries {
            if read.contains(entry.name), archive.entry(named: entry.name) == entry { continue }
            guard budget.admit(entry) else {
                findings.append(budget.refusal(entry, at: Location(file: file.path, member: entry.name)))
                continue
            }
            do throws(ZipError) { try archive.verify(entry) } catch {
                if archive.issues.contains(where: { $0.code == error.code && $0.member == error.member }) { continue }
                let message = error.location.isEmpty ? error.reason : "\(error.reason) (at \(error.location))"
                findings.append(Finding(RuleCatalogue.rule(for: error.code), message, at: Location(file: file.path, member: entry.name)))
            }
        }
        return findings
    }
}

/// Counts NaN and infinite values of little-endian IEEE data by their exponent bits.
enum FiniteScan {
    /// `(nan, infinite)` for float dtypes, nil for others.
    static func count(_ data: ByteView, dtype: String) -> (Int, Int)? {
        switch dtype {
        case "float16": scan(data, UInt16.self, exponent: 0x7C00, mantissa: 0x03FF)
        case "bfloat16": scan(data, UInt16.self, exponent: 0x7F80, mantissa: 0x007F)
        case "float32": scan(data, UInt32.self, exponent: 0x7F80_0000, mantissa: 0x007F_FFFF)
        case "float64": scan(data, UInt64.self, exponent: 0x7FF0_0000_0000_0000, mantissa: 0x000F_FFFF_FFFF_FFFF)
        default: nil
        }
    }

    private static func scan<T: FixedWidthInteger & UnsignedInteger>(_ data: ByteView, _: T.Type, exponent: T, mantissa: T) -> (Int, Int) {
        let width = MemoryLayout<T>.size
        var special = 0
        data.withUnsafeBytes { raw in
            let count = raw.count / width
            for index in 0..<count where T(littleEndian: raw.loadUnaligned(fromByteOffset: index * width, as: T.self)) & exponent == exponent {
                special += 1
            }
        }
        guard special > 0 else { return (0, 0) }
        var nan = 0
        data.withUnsafeBytes { raw in
            for index in 0..<(raw.count / width) {
                let bits = T(littleEndian: raw.loadUnaligned(fromByteOffset: index * width, as: T.self))
                if bits & exponent == exponent, bits & mantissa != 0 { nan += 1 }
            }
        }
        return (nan, special - nan)
    }
}
