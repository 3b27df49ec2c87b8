import Foundation
import KerasBytes
import KerasFormat
import KerasReference

/// Property 1, round trip: a model saved, loaded and run gives outputs equal, bit for bit, to the model
/// before saving, in every ``SaveFormat``.
///
/// For `.weights.h5` the load is `loadWeights` into a fresh model built from the same config (every
/// variable zero until loaded). The comparison is ``OutputComparison/bitwise``: both runs are the same
/// implementation on the same values, so any difference is a variable lost, reordered or re-rounded.
public struct RoundTripProperty: Sendable {
    /// The property's name in reports.
    public static let name = "round-trip"
    /// The formats tried.
    public var formats: [SaveFormat]
    /// A scratch folder for the files written to disk (created when missing).
    public var directory: String

    /// A check of `formats` writing into `directory`.
    public init(formats: [SaveFormat] = SaveFormat.allCases, directory: String) {
        self.formats = formats
        self.directory = directory
    }

    /// Whether `error` is the Keras 2 writer's refusal of something tf-keras cannot hold (KC-REF-012).
    public static func isKeras2Refusal(_ error: ReferenceError) -> Bool {
        error.code == ReferenceError.Code.saveFailed && error.reason.hasPrefix("cannot write the Keras 2 (tf-keras) form")
    }

    /// Checks `model` (whose config is `generated.config`) on `inputs`, against `expected` (its own
    /// outputs). Files are named after `caseName` and removed afterwards.
    public func check(_ model: KerasModel, config generated: GeneratedModel, inputs: [Tensor], expected: [Tensor], caseName: String) throws(PropertyViolation) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw PropertyViolation(Self.name, "cannot create \(directory): \(error)")
        }
        for format in formats {
            let path = directory + "/" + caseName + format.fileSuffix
            defer { try? FileManager.default.removeItem(atPath: path) }
            let outputs: [Tensor]
            do throws(ReferenceError) {
                let loaded: KerasModel
                switch format {
                case .keras:
                    try model.save(to: path)
                    loaded = try loadModel(from: path)
                case .kerasInMemory:
                    let bytes = try model.archiveBytes()
                    loaded = try loadModel(KerasFile.read(bytes: ByteView(copying: bytes), name: caseName + ".keras"))
                case .legacyH5:
                    try model.saveLegacyH5(to: path)
                    loaded = try loadModel(from: path)
                case .keras2H5:
                    do throws(ReferenceError) { try model.saveLegacyH5(to: path, flavor: .keras2) } catch {
                        if Self.isKeras2Refusal(error) { continue }
                        throw error
                    }
                    loaded = try loadModel(from: path)
                case .weightsH5:
                    try model.saveWeights(to: path)
                    loaded = try KerasModel.build(config: generated.config)
                    try loaded.loadWeights(from: path)
                }
                outputs = try loaded.predict(inputs)
            } catch {
                throw PropertyViolation(Self.name, "\(format.label): \(error.code.ruleID) \(error.code.name): \(error.reason) at \(error.location)")
            }
            if let difference = OutputComparison.bitwise.difference(outputs, expected) {
                throw PropertyViolation(Self.name, "\(format.label): \(difference)")
            }
        }
    }
}
