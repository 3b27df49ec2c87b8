import Foundation
@testable import KerasConformance
import KerasReference
import PropertyBased
import KerasJSON
import Testing

/// Properties 1 to 6 over generated models (``PropertySuite``), deterministic: seed 20261122, cases
/// 0..<60 by default (`KCONFORM_CASES` and `KCONFORM_SEED` change them for longer runs). Each case runs
/// round trips in 4 formats, name stability, one safe-mode placement, weights only, and every fourth case
/// robustness and oracles: about 480 property checks. A failure prints the case's replay command.
struct GeneratedPropertyTests {
    static let seed = UInt64(ProcessInfo.processInfo.environment["KCONFORM_SEED"] ?? "") ?? 20_261_122
    static let cases = Int(ProcessInfo.processInfo.environment["KCONFORM_CASES"] ?? "") ?? 60

    @Test func generatedModelsHoldEveryProperty() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kconform-properties-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let suite = PropertySuite(directory: directory)
        var results: [CaseResult] = []
        for index in 0..<Self.cases { results += suite.run(seed: Self.seed, index: index) }
        var counts: [CaseOutcome: Int] = [:]
        for result in results { counts[result.outcome, default: 0] += 1 }
        print("properties: \(results.count) checks over \(Self.cases) models:", counts.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))
        for result in results where result.outcome == .fail {
            Issue.record("\(result.name) \(result.property) \(result.format): \(result.detail)\n  replay: \(result.replay)\n  layers: \(result.layers.joined(separator: " "))")
        }
        #expect(results.count >= Self.cases * 4)
        #expect((counts[.pass] ?? 0) > results.count * 9 / 10)
    }
}

/// The properties can fail: each is shown a defect it must catch.
struct PropertyDefectTests {
    static let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kconform-defects-\(getpid())").path

    static func instance(_ index: Int) throws -> (GeneratedModel, KerasModel, [Tensor], [Tensor]) {
        let generated = GeneratedCase(seed: 5, index: index).model
        let model = try generated.instantiate()
        let inputs = generated.makeInputs()
        return (generated, model, inputs, try model.predict(inputs))
    }

    @Test func aRoundTripThatChangesOneBitIsCaught() throws {
        // The first generated model tf-keras can hold, so that the Keras 2 format is exercised too.
        let index = try #require((0..<40).first { index in
            guard let model = try? Self.instance(index).1 else { return false }
            let path = Self.directory + "-probe-\(index).h5"
            defer { try? FileManager.default.removeItem(atPath: path) }
            return (try? model.saveLegacyH5(to: path, flavor: .keras2)) != nil
        })
        let (generated, model, inputs, expected) = try Self.instance(index)
        var changed = expected
        changed[0].scalars[0] = Float(bitPattern: changed[0].scalars[0].bitPattern ^ 1)
        for format in SaveFormat.allCases {
            #expect(throws: PropertyViolation.self, "\(format)") {
                try RoundTripProperty(formats: [format], directory: Self.directory).check(model, config: generated, inputs: inputs, expected: changed, caseName: "defect-round-trip")
            }
        }
    }

    @Test func bitwiseAndToleranceComparisonsSeeDifferences() {
        let a = Tensor(shape: [2], scalars: [1, 2]), b = Tensor(shape: [2], scalars: [1, 2.0001])
        #expect(OutputComparison.bitwise.difference([a], [a]) == nil)
        #expect(OutputComparison.bitwise.difference([a], [b]) != nil)
        #expect(OutputComparison.forLayers(3).difference([a], [b]) == nil)
        #expect(OutputComparison.forLayers(3).difference([a], [Tensor(shape: [2], scalars: [1, 2.01])]) != nil)
        #expect(OutputComparison.forLayers(3).difference([a], [Tensor(shape: [1, 2], scalars: [1, 2])]) != nil)
        #expect(OutputComparison.forLayers(3).difference([a], [Tensor(shape: [2], scalars: [1, .nan])]) != nil)
    }

    @Test func weightsOfAnotherArchitectureFailWithTheCountOfDifferingObjects() throws {
        let (generated, model, inputs, expected) = try Self.instance(1)
        var seen = Set<Int>()
        for index in 2..<12 {
            let other = GeneratedCase(seed: 5, index: index).model
            seen.insert(try WeightsOnlyProperty(directory: Self.directory).check(model, config: generated, other: other, inputs: inputs, expected: expected, caseName: "defect-weights-only").mismatchedObjects)
        }
        #expect(seen.contains { $0 > 0 }, "no other architecture differed: the mismatch half of the property never ran")
    }

    @Test func aSafeModePlacementReachesEveryPositionAndForm() {
        var positions = Set<String>(), forms = Set<String>()
        for index in 0..<200 {
            let generated = GeneratedCase(seed: 6, index: index).model
            var choices = Choices(seed: UInt64(index))
            let placement = SafeModeProperty.place(in: generated.config, &choices)
            positions.insert(placement.position.rawValue)
            forms.insert(placement.form.rawValue)
        }
        #expect(positions == Set(SafeModeProperty.Placement.Position.allCases.map(\.rawValue)))
        #expect(forms == Set(SafeModeProperty.Placement.Form.allCases.map(\.rawValue)))
    }

    @Test func aConfigWithoutTheLambdaFailsTheSafeModeProperty() throws {
        let generated = GeneratedCase(seed: 6, index: 3).model
        var choices = Choices(seed: 1)
        let placement = SafeModeProperty.place(in: generated.config, &choices)
        let clean = SafeModeProperty.Placement(form: placement.form, position: placement.position, pointer: placement.pointer, config: generated.config)
        #expect(throws: PropertyViolation.self) { _ = try SafeModeProperty.check(clean, inputs: generated.makeInputs()) }
        let moved = SafeModeProperty.Placement(form: placement.form, position: placement.position, pointer: placement.pointer + "/elsewhere", config: placement.config)
        #expect(throws: PropertyViolation.self) { _ = try SafeModeProperty.check(moved, inputs: generated.makeInputs()) }
    }

    @Test func aLoadedModelThatSavesDifferentlyIsCaught() throws {
        let (_, model, _, _) = try Self.instance(2)
        let (_, other, _, _) = try Self.instance(3)
        try NameStabilityProperty.check(model, caseName: "stable")
        let date = Date(timeIntervalSince1970: 0)
        #expect(throws: PropertyViolation.self) { try NameStabilityProperty.compare(archive: try model.archiveBytes(date: date), with: try other.archiveBytes(date: date)) }
        #expect(throws: PropertyViolation.self) { try NameStabilityProperty.compare(archive: try model.archiveBytes(date: date), with: try model.archiveBytes(date: Date())) }
        #expect(throws: PropertyViolation.self) { try NameStabilityProperty.compare(NameStabilityProperty.signature(model), NameStabilityProperty.signature(other)) }
    }
}

/// Property-based (x-sheep/swift-property-based): 40 random byte strings of up to 256 bytes each drive
/// the generator as a fuzzer would (random each run; a failure shrinks the bytes and prints a
/// `.fixedSeed` to replay it). Every model they make must hold the round-trip and name-stability
/// properties; exhausted bytes still give a valid model.
struct ChoiceBytesPropertyTests {
    @Test func modelsFromRawBytesRoundTrip() async {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kconform-bytes-\(getpid())").path
        await propertyCheck(count: 40, input: Gen.uint8().array(of: 0...256)) { bytes in
            var choices = Choices(bytes: bytes)
            let generated = ModelGenerator(settings: .small(layers: 6)).generate(&choices)
            do {
                let model = try generated.instantiate()
                let inputs = generated.makeInputs(batch: 1)
                let expected = try model.predict(inputs)
                try RoundTripProperty(formats: [.kerasInMemory, .weightsH5], directory: directory).check(model, config: generated, inputs: inputs, expected: expected, caseName: "bytes")
                try NameStabilityProperty.check(model, caseName: "bytes")
            } catch {
                Issue.record("bytes \(bytes): \(error)")
            }
        }
    }
}

/// A negative dimension anywhere a config gives a shape is refused as Keras's `standardize_shape` refuses
/// it, never a trap (FuzzStructured's first finding, Fuzz/FailCases/FuzzStructured-negative-batch-dimension-traps-dry-run).
struct NegativeDimensionTests {
    @Test(arguments: 0..<20)
    func negativeBatchShapesAreRefused(index: Int) throws {
        let generated = GeneratedCase(seed: 77, index: index).model
        typealias Tree = ConfigMutator.JSONTree
        var paths: [[Tree.Step]] = []
        for position in 1..<Tree.count(generated.config) {
            let path = Tree.path(at: position, in: generated.config)
            if case .key(let key)? = path.last, key == "batch_shape" || key == "input_shape" { paths.append(path) }
        }
        let path = try #require(paths.first)
        guard case .array(var dimensions) = Tree.value(at: path, in: generated.config), dimensions.count > 1 else { return }
        dimensions[dimensions.count - 1] = .number(JSONNumber(-1))
        let config = Tree.replacing(path, in: generated.config, with: .array(dimensions))
        #expect(throws: ReferenceError.self) { _ = try KerasModel.build(config: config) }
    }
}

/// Generated models the Keras 2 round trip once failed on, replayed by seed and index.
@Suite struct Keras2RoundTripRegressionTests {
    /// An Attention layer called on `[query, value]`: its tf-keras node list carries both tensors in one
    /// positional argument (conform --seed 1 --index 599 failed with "Attention got 2 tensors for arguments []").
    @Test func attentionCalledOnAListRoundTripsAsKeras2() throws {
        let generated = GeneratedCase(seed: 1, index: 599).model
        let model = try generated.instantiate()
        let inputs = generated.makeInputs()
        let expected = try model.predict(inputs)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kconform-k2-\(getpid())").path
        try RoundTripProperty(formats: [.keras2H5], directory: directory)
            .check(model, config: generated, inputs: inputs, expected: expected, caseName: "attention-keras2")
        #expect(JSONWriter.dumps(generated.config).contains("\"Attention\""))
    }
}
