import Foundation
import KerasBytes
import KerasFormat
import KerasJSON
import KerasReference
import Testing
@testable import KerasConformance

/// Generated compiled models carry optimizer state in Keras's layout (`optimizer_slots` templates).
struct OptimizerStateTests {
    /// The first compiled model of seed 7 with at least one trainable variable.
    static func compiledCase() -> GeneratedCase? {
        (0..<200).lazy.map { GeneratedCase(seed: 7, index: $0) }.first { generated in
            guard generated.model.optimizerSeed != nil, let model = try? generated.model.instantiate() else { return false }
            return model.optimizerVariables.count > 2
        }
    }

    @Test func optimizerStateSurvivesSaveAndLoadByteForByte() throws {
        let generated = try #require(Self.compiledCase())
        let model = try generated.model.instantiate()
        let written = model.optimizerVariables
        #expect(written.count > 2)
        let archive = try model.archiveBytes(date: Date(timeIntervalSince1970: 0))
        let loaded = try loadModel(KerasFile.read(bytes: ByteView(copying: archive), name: "m.keras"))
        let read = loaded.optimizerVariables
        #expect(read.map(\.dtype) == written.map(\.dtype))
        #expect(read.map(\.shape) == written.map(\.shape))
        #expect(read.map { Array($0.bytes.bytes) } == written.map { Array($0.bytes.bytes) })
        let resaved = try loaded.archiveBytes(date: Date(timeIntervalSince1970: 0))
        let again = try loadModel(KerasFile.read(bytes: ByteView(copying: resaved), name: "m.keras")).optimizerVariables
        #expect(again.map { Array($0.bytes.bytes) } == written.map { Array($0.bytes.bytes) })
        let uncompiled = try loadModel(KerasFile.read(bytes: ByteView(copying: archive), name: "m.keras"), options: LoadOptions(compile: false))
        #expect(uncompiled.optimizerVariables.isEmpty)
    }

    @Test func optimizerStateIsDeterministicFromTheCaseSeed() throws {
        let generated = try #require(Self.compiledCase())
        let again = GeneratedCase(seed: generated.seed, index: generated.index)
        let first = try generated.model.instantiate().optimizerVariables.map { Array($0.bytes.bytes) }
        let second = try again.model.instantiate().optimizerVariables.map { Array($0.bytes.bytes) }
        #expect(first == second)
    }

    /// `Input(2) -> Dense(3)` compiled with Adam: the layout kconform builds is the state Keras wrote.
    @Test func adamLayoutOnDenseIsWhatKerasWrote() throws {
        let adam = try #require(OptimizerSlots.all.first { $0.key == "Adam" })
        let config = try JSONReader.parse("""
        {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 2], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer", "optional": false}, "registered_name": null}, {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 3, "activation": "linear", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null}, "registered_name": null, "build_config": {"input_shape": [null, 2]}}], "build_input_shape": [null, 2]}, "registered_name": null}
        """)
        let model = try KerasModel.build(config: config)
        let trainable = TrainableVariables.of(model).map { ($0.name, $0.variable.dtype, $0.variable.shape) }
        let built = adam.variables(for: trainable, floatLearningRate: true)
        #expect(built.map(\.name) == adam.example.map(\.name))
        #expect(built.map(\.dtype) == adam.example.map(\.dtype))
        #expect(built.map(\.shape) == adam.example.map(\.shape))
        #expect(built.count == 6)
        let schedule = adam.variables(for: trainable, floatLearningRate: false)
        #expect(schedule.map(\.name) == built.map(\.name).filter { $0 != "learning_rate" })
    }

    /// Every drawn variant's layout reproduces Keras's own example state.
    @Test(arguments: OptimizerSlots.all.map(\.key))
    func everyVariantReproducesItsKerasExample(key: String) throws {
        let slots = try #require(OptimizerSlots.all.first { $0.key == key })
        let trainable = [("sequential_dense_kernel", "float32", [2, 3]), ("sequential_dense_bias", "float32", [3])]
        let built = slots.variables(for: trainable, floatLearningRate: true)
        #expect(built.map(\.name) == slots.example.map(\.name))
        #expect(built.map(\.dtype) == slots.example.map(\.dtype))
        #expect(built.map(\.shape) == slots.example.map(\.shape))
    }

    @Test func variantOfAnEnvelopePicksTheMostSpecific() throws {
        let envelope = try JSONReader.parse(#"{"class_name": "RMSprop", "config": {"momentum": 0.9, "centered": true}}"#)
        #expect(OptimizerSlots.variant(of: envelope)?.key == "RMSprop_momentum_centered")
        let plain = try JSONReader.parse(#"{"class_name": "RMSprop", "config": {"momentum": 0.0, "centered": false}}"#)
        #expect(OptimizerSlots.variant(of: plain)?.key == "RMSprop")
    }
}
