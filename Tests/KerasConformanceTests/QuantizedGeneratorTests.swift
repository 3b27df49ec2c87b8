import Foundation
@testable import KerasConformance
import KerasFormat
import KerasJSON
import KerasReference
import Testing

/// The generator quantizes a modest share of the Dense and EinsumDense layers of float32 models (int8,
/// int4 per channel and per group, float8), their weights in the dtypes Keras stores, and the quantized
/// models hold every property.
struct QuantizedGeneratorTests {
    static let seed: UInt64 = 1
    static let models = (0..<2000).map { GeneratedCase(seed: seed, index: $0).model }

    /// Every Dense or EinsumDense config under `value` (nested models and wrappers included).
    static func denseConfigs(_ value: JSONValue) -> [JSONValue] {
        switch value {
        case .object(let object):
            var found: [JSONValue] = []
            if let name = object["class_name"]?.stringValue, name == "Dense" || name == "EinsumDense", let config = object["config"] { found.append(config) }
            for (_, item) in object { found += denseConfigs(item) }
            return found
        case .array(let items):
            return items.flatMap(denseConfigs)
        default:
            return []
        }
    }

    /// The quantized policies of the Dense and EinsumDense layers of `config`.
    static func quantized(_ config: JSONValue) -> [QuantizedPolicy] {
        denseConfigs(config).compactMap { layer in
            guard case .success(let policy)? = QuantizedPolicy.of(layerConfig: layer) else { return nil }
            return policy
        }
    }

    @Test func everyModeIsDrawnWithinTwoThousandModelsAndTheShareStaysModest() {
        let float32 = Self.models.filter { $0.policy == "float32" }
        let layers = float32.flatMap { Self.denseConfigs($0.config) }
        let policies = float32.flatMap { Self.quantized($0.config) }
        #expect(Set(policies.map(\.mode)) == [.int8, .int4, .float8])
        #expect(policies.contains { $0.mode == .int4 && $0.blockSize == nil }, "no per-channel int4")
        #expect(policies.contains { $0.mode == .int4 && $0.blockSize != nil }, "no sub-channel int4")
        #expect(policies.contains { $0.mode == .float8 && $0.amaxHistoryLength < QuantizedPolicy.defaultAmaxHistoryLength })
        let share = Double(policies.count) / Double(max(layers.count, 1))
        print("quantized: \(policies.count) of \(layers.count) Dense/EinsumDense layers in \(float32.count) float32 models (\(Self.models.count) models)",
              Dictionary(grouping: policies, by: \.mode.rawValue).mapValues(\.count).sorted { $0.key < $1.key })
        #expect(share > 0.03 && share < 0.2, "share \(share)")
        // Models computing in another policy are never quantized.
        #expect(Self.models.filter { $0.policy != "float32" }.allSatisfy { Self.quantized($0.config).isEmpty })
    }

    @Test func quantizedWeightsAreInTheDTypesKerasStores() throws {
        let cases = Self.models.filter { !Self.quantized($0.config).isEmpty }.prefix(16)
        try #require(cases.count >= 8)
        var seen = Set<String>()
        for generated in cases {
            let model = try generated.instantiate()
            for (_, layer) in model.saveableObjects {
                guard case .success(let policy)? = QuantizedPolicy.of(layerConfig: layer.envelope.config) else { continue }
                for variable in layer.variables {
                    seen.insert("\(policy.mode.rawValue) \(variable.name) \(variable.dtype)")
                    let values = variable.values
                    switch (policy.mode, variable.name) {
                    case (.int8, "kernel"), (.int4, "kernel"), (.int4, "kernel_zero"):
                        #expect(variable.dtype == "int8")
                        #expect(values.allSatisfy { $0 >= -127 && $0 <= 127 })
                    case (_, "kernel_scale"), (_, "inputs_scale"), (_, "outputs_grad_scale"):
                        #expect(variable.dtype == "float32" && values.allSatisfy { $0 > 0 }, "\(variable.name)")
                    case (.float8, let name) where name.hasSuffix("amax_history"):
                        #expect(variable.dtype == "float32" && variable.shape == [policy.amaxHistoryLength] && values.allSatisfy { $0 >= 0 })
                    case (.int4, "g_idx"):
                        let block = try #require(policy.blockSize)
                        #expect(values == (0..<values.count).map { Float($0 / block) })
                    default:
                        #expect(variable.dtype == "float32", "\(variable.name)")
                    }
                    if policy.mode == .int4, variable.name == "kernel" {
                        // Valid packing: nibbles in [-8, 7] by construction; an odd column count pads with zero.
                        let columns = try #require(layer.variables.first { $0.name == "kernel_scale" }?.shape.last)
                        let rows = variable.shape[0]
                        let packed = values.map { Int8($0) }
                        #expect(Int4Packing.packLastAxis(Int4Packing.unpackLastAxis(packed, rows: rows, columns: columns), rows: rows, columns: columns) == packed)
                    }
                }
            }
            let outputs = try model.predict(generated.makeInputs())
            #expect(!outputs.isEmpty)
        }
        for expected in ["int8 kernel int8", "int8 kernel_scale float32", "int4 kernel int8", "float8 kernel float32", "float8 inputs_amax_history float32"] {
            #expect(seen.contains(expected), "\(expected) never seen in \(seen.sorted())")
        }
    }

    @Test func quantizedModelsHoldEveryProperty() throws {
        let indices = Self.models.indices.filter { !Self.quantized(Self.models[$0].config).isEmpty }.prefix(24)
        try #require(indices.count >= 12)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kconform-quantized-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let suite = PropertySuite(directory: directory)
        var results: [CaseResult] = []
        for index in indices { results += suite.run(seed: Self.seed, index: index) }
        for result in results where result.outcome != .pass {
            Issue.record("\(result.name) \(result.property) \(result.format): \(result.outcome.rawValue) \(result.detail)\n  replay: \(result.replay)")
        }
        #expect(results.count >= indices.count * 4)
    }
}
