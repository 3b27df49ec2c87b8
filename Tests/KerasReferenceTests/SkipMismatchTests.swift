import Foundation
import KerasReference
import Testing

/// `skip_mismatch` (SL:636-712, LAY:1448-1494): two architectures that differ in one Dense's units, saved by
/// our own savers. Off, the load fails with Keras's aggregated error; on, the mismatching objects are
/// skipped with Keras's one aggregated warning and keep their values.
@Suite struct SkipMismatchTests {
    /// `a(4) -> b(units) -> c(2)` over width 3: changing `b`'s units changes `b`'s and `c`'s kernels.
    static func model(units: Int, seed: Float, options: LoadOptions = LoadOptions()) throws -> KerasModel {
        let config = try ModelFixtures.sequential([ModelFixtures.dense("a", units: 4), ModelFixtures.dense("b", units: units), ModelFixtures.dense("c", units: 2)])
        let model = try KerasModel.build(config: config, options: options)
        try ModelFixtures.fill(model, seed: seed)
        return model
    }

    static let expectedMessagePrefix = "A total of 2 objects could not be loaded. Example error message for object <Dense name=b, built=True>:\n\n"
    static let expectedList = "List of objects that could not be loaded:\n[<Dense name=b, built=True>, <Dense name=c, built=True>]"

    /// The saved model (units 5) and a differently shaped target (units 6), both with distinct values.
    static func files() throws -> (directory: URL, saved: KerasModel) {
        let directory = try ModelFixtures.temporaryDirectory()
        let saved = try model(units: 5, seed: 1)
        try saved.save(to: directory.appendingPathComponent("m.keras").path)
        try saved.saveWeights(to: directory.appendingPathComponent("m.weights.h5").path)
        return (directory, saved)
    }

    @Test(arguments: ["m.weights.h5", "m.keras"])
    func loadWeightsFailsWithTheAggregatedError(file: String) throws {
        let (directory, _) = try Self.files()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = try Self.model(units: 6, seed: 100)
        do {
            try target.loadWeights(from: directory.appendingPathComponent(file).path)
            Issue.record("a mismatching load succeeded")
        } catch {
            #expect(error.code == ReferenceError.Code.loadFailed)
            #expect(error.reason.hasPrefix(Self.expectedMessagePrefix))
            #expect(error.reason.contains("The shape of the target variable and the shape of the target value in `variable.assign(value)` must match."))
            #expect(error.reason.hasSuffix(Self.expectedList))
        }
        #expect(target.loadWarnings.isEmpty)
    }

    @Test(arguments: ["m.weights.h5", "m.keras"])
    func loadWeightsSkippingMismatchesWarnsAndKeepsValues(file: String) throws {
        let (directory, saved) = try Self.files()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = try Self.model(units: 6, seed: 100)
        let before = ModelFixtures.values(target)
        let warnings = try target.loadWeights(from: directory.appendingPathComponent(file).path, skipMismatch: true)
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix(Self.expectedMessagePrefix) == true)
        #expect(warnings.first?.hasSuffix(Self.expectedList) == true)
        #expect(target.loadWarnings == warnings)
        let after = ModelFixtures.values(target)
        let stored = ModelFixtures.values(saved)
        for key in ["layers/dense/kernel", "layers/dense/bias"] {
            #expect(after[key] == stored[key], "\(key) was loaded")
            #expect(after[key] != before[key], "\(key) changed")
        }
        for key in ["layers/dense_1/kernel", "layers/dense_1/bias", "layers/dense_2/kernel", "layers/dense_2/bias"] {
            #expect(after[key] == before[key], "\(key) kept its value")
        }
    }

    @Test func loadModelSkipsMismatchesOnlyWhenAsked() throws {
        let (directory, _) = try Self.files()
        defer { try? FileManager.default.removeItem(at: directory) }
        // An archive whose config says 6 units but whose weights were saved with 5.
        let other = try Self.model(units: 6, seed: 100)
        let mixed = directory.appendingPathComponent("mixed").path
        try FileManager.default.createDirectory(atPath: mixed, withIntermediateDirectories: false)
        try other.save(to: mixed + "/x", zipped: false)
        try FileManager.default.removeItem(atPath: mixed + "/x/model.weights.h5")
        try FileManager.default.copyItem(atPath: directory.appendingPathComponent("m.weights.h5").path, toPath: mixed + "/x/model.weights.h5")

        #expect(throws: ReferenceError(ReferenceError.Code.loadFailed, "")) { try loadModel(from: mixed + "/x") }
        let loaded = try loadModel(from: mixed + "/x", options: LoadOptions(skipMismatch: true))
        #expect(loaded.loadWarnings.count == 1)
        #expect(loaded.loadWarnings.first?.hasPrefix(Self.expectedMessagePrefix) == true)
        let values = ModelFixtures.values(loaded)
        #expect(values["layers/dense_1/kernel"] == [Float](repeating: 0, count: 24), "a skipped layer keeps its (zero) values")
        #expect(values["layers/dense/kernel"]?.allSatisfy { $0 != 0 } == true, "a matching layer is loaded")
    }

    @Test func matchingLoadHasNoWarnings() throws {
        let (directory, saved) = try Self.files()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = try Self.model(units: 5, seed: 100)
        let warnings = try target.loadWeights(from: directory.appendingPathComponent("m.weights.h5").path, skipMismatch: true)
        #expect(warnings.isEmpty)
        #expect(ModelFixtures.values(target) == ModelFixtures.values(saved))
    }

    @Test func legacyWeightsSkipMismatchedShapesPerWeight() throws {
        let (directory, _) = try Self.files()
        defer { try? FileManager.default.removeItem(at: directory) }
        let saved = try Self.model(units: 5, seed: 1)
        let legacy = directory.appendingPathComponent("m.h5").path
        try saved.saveLegacyH5(to: legacy)
        let target = try Self.model(units: 6, seed: 100)
        let before = ModelFixtures.values(target)
        #expect(throws: ReferenceError(ReferenceError.Code.variableShapeMismatch, "")) { try target.loadWeights(from: legacy) }
        let fresh = try Self.model(units: 6, seed: 100)
        let warnings = try fresh.loadWeights(from: legacy, skipMismatch: true)
        #expect(warnings == [
            "Skipping loading weights for layer #1 (named b)due to mismatch in shape for weight m/b/kernel. Weight expects shape (4, 6). Received saved weight with shape (4, 5)",
            "Skipping loading weights for layer #1 (named b)due to mismatch in shape for weight m/b/bias. Weight expects shape (6,). Received saved weight with shape (5,)",
            "Skipping loading weights for layer #2 (named c)due to mismatch in shape for weight m/c/kernel. Weight expects shape (6, 2). Received saved weight with shape (5, 2)",
        ])
        let after = ModelFixtures.values(fresh)
        #expect(after["layers/dense_1/kernel"] == before["layers/dense_1/kernel"])
        #expect(after["layers/dense_2/bias"] != before["layers/dense_2/bias"], "c's bias matches and is loaded")
    }
}
