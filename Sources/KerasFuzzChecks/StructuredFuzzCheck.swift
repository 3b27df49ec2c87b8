import Foundation
import KerasBytes
import KerasConformance
import KerasFormat
import KerasReference
import KerasZip

/// FuzzStructured: bytes as the choice sequence of the model generator (`Choices(bytes:)`), so that every
/// input is first a valid Keras model and then a structurally damaged file.
///
/// 1. The body's bytes draw a model of at most ``maxLayers`` layers (`ModelGenerator`, `.small(layers:)`),
///    which is instantiated with its seeded weights and run on one seeded sample. It must build and run; a
///    layer the reference core cannot run (`notImplemented`) ends the input as a refusal.
/// 2. Saved in memory (`archiveBytes(date:)` with a fixed date, member times set to the zip epoch so that
///    an input always means the same bytes), read back with `KerasFile.read`, checked (no error finding)
///    and loaded with `loadModel`, it predicts bit for bit what the instantiated model predicts
///    (conformance property 1).
/// 3. The remaining bytes draw 1 to ``maxMutations`` structural mutations (`FileMutator`), each of the
///    archive, or of its `model.weights.h5` member (read alone as a weights file, then put back into the
///    archive with a correct CRC). Each mutated file is read, checked and, when no finding is an error,
///    loaded (never run): it must end in a refusal that names a catalogued rule or a known load error with
///    a reason, or in a clean load (conformance property 5), within the budgets of ``FuzzLimits/read()``.
///    Time is judged by libFuzzer's `-timeout`.
enum StructuredFuzzCheck {
    /// No option bit is defined yet: an input starting `00 00` is its body after those two bytes.
    static let definedOptions: UInt8 = 0
    /// Most layers a generated model has (nested models' layers included): 6.
    static let maxLayers = 6
    /// Most mutations per input: 3. Each costs a read, a check and a load.
    static let maxMutations = 3
    /// The generator: one input, at most ``maxLayers`` layers.
    static let generator = ModelGenerator(settings: .small(layers: maxLayers))
    /// The `date_saved` of every archive: 2026-01-01.
    static let savedDate = Date(timeIntervalSince1970: 1_767_225_600)
    /// The archive's file name (the readers dispatch on it).
    static let archiveName = "fuzz.keras"
    /// The weights member's name, also the name its mutations are read under alone.
    static let weightsName = "model.weights.h5"
    /// Where the local and central headers keep a member's DOS time (then its date), from their signature.
    static let localTimeOffset = 10, centralTimeOffset = 12
    /// Fixed sizes of a central directory header and the offsets of its name, extra and comment lengths.
    static let centralHeaderSize = 46, centralNameLengthOffset = 28
    private static let centralSignature: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
    /// Property 5 with the fuzz budgets; libFuzzer's `-timeout` judges time, so the property's own clock
    /// budget is out of reach.
    static let robustness: RobustnessProperty = {
        var settings = RobustnessProperty.Settings()
        settings.limits = FuzzLimits.read()
        settings.budgetPerInput = .seconds(86_400)
        return RobustnessProperty(settings: settings)
    }()

    static func run(_ input: FuzzInput) throws(FuzzViolation) -> FuzzOutcome {
        var choices = Choices(bytes: input.body.bytes)
        let generated = generator.generate(&choices)
        let model: KerasModel, inputs: [Tensor], expected: [Tensor]
        do throws(ReferenceError) {
            model = try generated.instantiate()
            inputs = generated.makeInputs(batch: 1)
            expected = try model.predict(inputs)
        } catch {
            guard error.code == ReferenceError.Code.notImplemented else {
                throw violation("a generated model builds and runs", "\(describe(error)); layers \(generated.layerClasses)")
            }
            return .rejected(error.code.ruleID)
        }
        let archive = try saved(model)
        let limits = FuzzLimits.read()
        let file = KerasFile.read(bytes: ByteView(copying: archive), name: archiveName, limits: limits)
        if let error = Checker(limits: limits).check(file).findings.first(where: { $0.severity == .error }) {
            throw violation("a saved model passes check", "\(error); layers \(generated.layerClasses)")
        }
        let outputs: [Tensor]
        do throws(ReferenceError) { outputs = try loadModel(file).predict(inputs) } catch {
            throw violation("a saved model loads and runs", "\(describe(error)); layers \(generated.layerClasses)")
        }
        if let difference = OutputComparison.bitwise.difference(outputs, expected) {
            throw violation("a saved model predicts bit for bit as before saving", "\(difference); layers \(generated.layerClasses)")
        }
        try mutate(archive, file, &choices)
        return .accepted
    }

    /// Draws and evaluates the mutations of `archive` (read as `file`).
    private static func mutate(_ archive: [UInt8], _ file: KerasFile, _ choices: inout Choices) throws(FuzzViolation) {
        let count = choices.int(in: 1...maxMutations)
        var archiveMutator: FileMutator?
        var weights: (mutator: FileMutator, members: [(name: String, data: ByteView, entry: ZipEntry)])?
        for _ in 0..<count {
            if choices.bool() {
                if weights == nil { weights = try weightsMutator(file) }
                guard let (mutator, members) = weights else { continue }
                let mutation = mutator.mutate(&choices)
                try evaluate(mutation.bytes, name: weightsName, mutation, "the weights member alone")
                try evaluate(try replacingWeights(members, with: mutation.bytes), name: archiveName, mutation, "the weights member")
            } else {
                if archiveMutator == nil { archiveMutator = FileMutator(bytes: archive, name: archiveName) }
                guard let mutator = archiveMutator else { continue }
                let mutation = mutator.mutate(&choices)
                try evaluate(mutation.bytes, name: archiveName, mutation, "the archive")
            }
        }
    }

    /// Reads, checks and (when no finding is an error) loads one mutated file: property 5.
    private static func evaluate(_ bytes: [UInt8], name: String, _ mutation: FileMutation, _ what: String) throws(FuzzViolation) {
        do throws(PropertyViolation) { _ = try robustness.evaluate(bytes, name: name) } catch {
            throw violation("a mutated file is refused with a rule or loads cleanly", "\(what), \(mutation): \(error.detail)")
        }
    }

    /// A mutator of the archive's weights member, with every member to put back around a mutated one.
    private static func weightsMutator(_ file: KerasFile) throws(FuzzViolation)
        -> (mutator: FileMutator, members: [(name: String, data: ByteView, entry: ZipEntry)])
    {
        guard let zip = file.archive else { throw violation("a saved model is an archive", "kind \(file.kind)") }
        var members: [(name: String, data: ByteView, entry: ZipEntry)] = []
        for entry in zip.entries {
            do throws(ZipError) { members.append((entry.name, try zip.contents(of: entry), entry)) } catch {
                throw violation("a saved model's members extract", "\(entry.name): \(error.code.ruleID) \(error.reason)")
            }
        }
        guard let weights = members.first(where: { $0.name == weightsName }) else {
            throw violation("a saved model has \(weightsName)", "members \(members.map(\.name))")
        }
        return (FileMutator(bytes: weights.data.bytes, name: weightsName), members)
    }

    /// The archive with `weights` as its weights member, every member in its place and with its
    /// attributes, written by `ZipWriter` (stored, correct CRC and sizes, zip-epoch times).
    private static func replacingWeights(_ members: [(name: String, data: ByteView, entry: ZipEntry)], with weights: [UInt8]) throws(FuzzViolation) -> [UInt8] {
        var writer = ZipWriter()
        for member in members {
            let data = member.name == weightsName ? ByteView(copying: weights) : member.data
            writer.addFile(name: member.name, contents: data, externalAttributes: member.entry.externalAttributes)
        }
        do throws(ZipWriteError) { return try writer.archiveBytes() } catch {
            throw violation("ZipWriter writes an archive with a mutated weights member", error.description)
        }
    }

    /// `model.archiveBytes(date:)` with every member's time and date set to the zip epoch, in the local and
    /// the central headers (the weights member carries the time of saving; the CRC does not cover it).
    static func saved(_ model: KerasModel) throws(FuzzViolation) -> [UInt8] {
        var bytes: [UInt8]
        do throws(ReferenceError) { bytes = try model.archiveBytes(date: savedDate) } catch {
            throw violation("a generated model saves", describe(error))
        }
        let zip: ZipArchive
        do throws(ZipError) { zip = try ZipArchive.read(ByteView(copying: bytes), limits: FuzzLimits.zip(tight: false)) } catch {
            throw violation("a saved archive reads as zip", "\(error.code.ruleID) \(error.reason)")
        }
        var central = zip.centralDirectoryOffset
        for entry in zip.entries {
            guard setEpoch(&bytes, at: entry.localHeaderOffset + localTimeOffset),
                  bytes.count >= central + centralHeaderSize, Array(bytes[central..<(central + 4)]) == centralSignature,
                  setEpoch(&bytes, at: central + centralTimeOffset)
            else { throw violation("a saved archive has plain zip headers", "\(entry.name)") }
            let lengths = (0..<3).map { Int(bytes[central + centralNameLengthOffset + 2 * $0]) | Int(bytes[central + centralNameLengthOffset + 2 * $0 + 1]) << 8 }
            central += centralHeaderSize + lengths.reduce(0, +)
        }
        return bytes
    }

    /// Writes the zip epoch's DOS time and date (little-endian) at `offset`; false when out of bounds.
    private static func setEpoch(_ bytes: inout [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset + 4 <= bytes.count else { return false }
        let epoch = DOSDateTime.zipEpoch
        bytes[offset] = UInt8(truncatingIfNeeded: epoch.time)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: epoch.time >> 8)
        bytes[offset + 2] = UInt8(truncatingIfNeeded: epoch.date)
        bytes[offset + 3] = UInt8(truncatingIfNeeded: epoch.date >> 8)
        return true
    }

    private static func describe(_ error: ReferenceError) -> String {
        "\(error.code.ruleID) \(error.code.name): \(error.reason) at \(error.location)"
    }

    private static func violation(_ property: String, _ detail: String) -> FuzzViolation {
        FuzzViolation(.structured, property, detail)
    }
}
