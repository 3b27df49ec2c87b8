import Foundation
import KerasBytes
import KerasFormat
import KerasHDF5
import KerasJSON
@testable import KerasReference
import Testing

/// Keras 2 (tf-keras 2.21) files: read as Keras 3's `model_from_config` reads them, written as tf-keras
/// writes them (`--flavor keras2`, `saveKeras2Weights`). The tf-keras side of the oracle is
/// Tests/python/test_tf_keras.py; these tests pin what can be checked without TensorFlow.
@Suite struct Keras2FormatTests {
    static let keras2 = GoldenPredictTests.golden.appendingPathComponent("keras2")

    static func envelope(_ json: String) throws -> ObjectEnvelope {
        try #require(ObjectEnvelope(try JSONReader.parse(json), pointer: ""))
    }

    @Test func legacyEntriesGetKeras3Fields() throws {
        let input = LegacyConfig.translate(try Self.envelope(#"{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 8], "name": "x"}}"#))
        #expect(input.config["batch_shape"] == .array([.null, .number(JSONNumber(8))]))
        #expect(input.config["batch_input_shape"] == nil)
        let dense = LegacyConfig.translate(try Self.envelope(#"{"class_name": "Dense", "config": {"batch_input_shape": [null, 8], "units": 2}}"#))
        #expect(dense.config["input_shape"] == .array([.null, .number(JSONNumber(8))]))
        let norm = LegacyConfig.translate(try Self.envelope(#"{"class_name": "BatchNormalization", "config": {"axis": [3]}}"#))
        #expect(norm.config["axis"] == .number(JSONNumber(3)))
        let float = LegacyConfig.translate(try Self.envelope(#"{"class_name": "Softmax", "config": {"axis": -1.0}}"#))
        #expect(float.config["axis"] == .number(JSONNumber(-1)))
        // Keras drops a longer list; kconform keeps it (docs/DIVERGENCES.md).
        let wide = LegacyConfig.translate(try Self.envelope(#"{"class_name": "LayerNormalization", "config": {"axis": [1, 2]}}"#))
        #expect(wide.config["axis"]?.arrayValue?.count == 2)
        let lambda = LegacyConfig.translate(try Self.envelope(#"{"class_name": "Lambda", "config": {"function": ["YWJj", null, null], "function_type": "lambda", "module": "m"}}"#))
        #expect(lambda.config["function"]?["class_name"]?.stringValue == "__lambda__")
        #expect(lambda.config["function_type"] == nil && lambda.config["module"] == nil)
        // An entry with `module` is a Keras 3 entry: left alone.
        let keras3 = try Self.envelope(#"{"module": "keras.layers", "class_name": "BatchNormalization", "config": {"axis": [3]}}"#)
        #expect(LegacyConfig.translate(keras3).config["axis"]?.arrayValue != nil)
    }

    static func attribute(_ file: HDF5File, _ path: String, _ name: String) -> HDF5AttributeValue? {
        guard case .group(let group)? = path == "/" ? .group(file.root) : file.object(at: path) else { return nil }
        return group.attributes.first { $0.name == name }?.value
    }

    static func json(_ value: HDF5AttributeValue?) throws -> JSONValue? {
        try value?.stringValue.map { try JSONReader.parse($0) }
    }

    /// Re-saving a tf-keras file in the Keras 2 flavour reproduces tf-keras's `model_config`,
    /// `training_config`, root and `model_weights` attributes, `weight_names` and dataset bytes
    /// (not `optimizer_weights`, which kconform does not write).
    @Test(arguments: ["seq_input_shape", "seq_explicit_input", "func_multi_io", "conv_bn_pool", "merge_ops", "adam_trained", "sgd_momentum"])
    func resavedTfKerasFileMatchesTfKeras(name: String) throws {
        let path = Self.keras2.appendingPathComponent(name + ".h5").path
        let model = try loadModel(from: path)
        let output = NSTemporaryDirectory() + "kconform-keras2-\(UUID().uuidString).h5"
        defer { try? FileManager.default.removeItem(atPath: output) }
        try model.saveLegacyH5(to: output, flavor: .keras2)
        let theirs = try HDF5File.open(try ByteView(mappingFileAt: path))
        let ours = try HDF5File.open(try ByteView(mappingFileAt: output))
        for key in ["model_config", "training_config"] {
            #expect(try Self.json(Self.attribute(ours, "/", key)) == Self.json(Self.attribute(theirs, "/", key)), "\(key)")
        }
        for key in ["keras_version", "backend"] {
            #expect(Self.attribute(ours, "/", key) == Self.attribute(theirs, "/", key), "\(key)")
            #expect(Self.attribute(ours, "/model_weights", key) == Self.attribute(theirs, "/model_weights", key), "model_weights \(key)")
        }
        let layers = try #require(Self.attribute(theirs, "/model_weights", "layer_names"))
        #expect(Self.attribute(ours, "/model_weights", "layer_names") == layers)
        guard case .strings(let names) = layers else { Issue.record("layer_names is not strings"); return }
        for layer in names {
            let weights = Self.attribute(theirs, "/model_weights/" + layer, "weight_names")
            #expect(Self.attribute(ours, "/model_weights/" + layer, "weight_names") == weights, "\(layer)")
            guard case .strings(let paths)? = weights else { continue }
            for weight in paths {
                let full = "/model_weights/" + layer + "/" + weight
                guard case .dataset(let mine)? = ours.object(at: full), case .dataset(let keras)? = theirs.object(at: full) else {
                    Issue.record("missing \(full)")
                    continue
                }
                #expect(try ours.data(of: mine) == theirs.data(of: keras), "\(full)")
            }
        }
    }

    /// tf-keras counts a nested model's construction as its node 0: read and re-written alike.
    @Test func nestedModelNodesCountFromOne() throws {
        let model = try loadModel(from: Self.keras2.appendingPathComponent("nested.h5").path)
        let inputs = try GoldenPredictTests.tensor("io/nested.inputs.npy", in: Self.keras2)
        let before = try model.predict([inputs])[0]
        let expected = try GoldenPredictTests.tensor("io/nested.outputs.npy", in: Self.keras2)
        #expect(zip(before.scalars, expected.scalars).allSatisfy { abs($0 - $1) <= 1e-5 + 1e-4 * abs($1) })

        let keras3 = try loadModel(from: GoldenPredictTests.golden.appendingPathComponent("nested.keras").path)
        let config = try Keras2Config.model(try #require(keras3.file.configJSON))
        let entries = try #require(config["config"]?["layers"]?.arrayValue)
        let dense = try #require(entries.first { $0["name"]?.stringValue == "outer_dense" })
        // outer_dense reads inner_func's first call: node 0 in Keras 3, node 1 in tf-keras.
        #expect(dense["inbound_nodes"]?[0]?[0]?[1]?.intValue == 1)
        let innerFunc = try #require(entries.first { $0["name"]?.stringValue == "inner_func" })
        #expect(innerFunc["inbound_nodes"]?[0]?[0]?[0]?.stringValue == "inner_seq")
        #expect(innerFunc["inbound_nodes"]?[0]?[0]?[1]?.intValue == 1)

        let output = NSTemporaryDirectory() + "kconform-keras2-\(UUID().uuidString).h5"
        defer { try? FileManager.default.removeItem(atPath: output) }
        try keras3.saveLegacyH5(to: output, flavor: .keras2)
        let reloaded = try loadModel(from: output)
        let x = try GoldenPredictTests.tensor("io/nested.inputs.npy")
        #expect(try reloaded.predict([x])[0].scalars == keras3.predict([x])[0].scalars)
    }

    @Test func keras2WeightsOnlyFileLoadsBack() throws {
        let path = Self.keras2.appendingPathComponent("gru_bidirectional.h5").path
        let model = try loadModel(from: path)
        let output = NSTemporaryDirectory() + "kconform-keras2-\(UUID().uuidString).h5"
        defer { try? FileManager.default.removeItem(atPath: output) }
        try model.saveKeras2Weights(to: output)
        let file = try KerasFile.open(output)
        #expect(file.kind == .legacyWeights)
        #expect(Checker().check(file).passed)
        let fresh = try loadModel(from: path)
        for variable in fresh.saveableObjects.flatMap(\.layer.variables) where variable.dtype == "float32" {
            try variable.assign([Float](repeating: 0, count: variable.values.count))
        }
        try fresh.loadWeights(from: output)
        let x = try GoldenPredictTests.tensor("io/gru_bidirectional.inputs.npy", in: Self.keras2)
        #expect(try fresh.predict([x])[0].scalars == model.predict([x])[0].scalars)
    }

    @Test(arguments: ["zoo/ops_arithmetic.keras", "zoo/multi_head_attention.keras", "non_ascii.keras", "quantized_int8.keras"])
    func whatTfKerasCannotHoldIsRefused(file: String) throws {
        let model = try loadModel(from: GoldenPredictTests.golden.appendingPathComponent(file).path)
        let output = NSTemporaryDirectory() + "kconform-keras2-\(UUID().uuidString).h5"
        let error = #expect(throws: ReferenceError.self) { try model.saveLegacyH5(to: output, flavor: .keras2) }
        #expect(error?.code == ReferenceError.Code.saveFailed)
        #expect(error?.reason.hasPrefix("cannot write the Keras 2 (tf-keras) form") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
