import Foundation
import KerasBytes
import KerasFormat
import KerasHDF5
import KerasReference
import KerasZip
import Testing

/// Safe mode (SER:679-688, LAM:169-200): a lambda anywhere is refused with its JSON pointer; with safe mode
/// off the model loads, and its lambda never runs.
@Suite struct SafeModeTests {
    static let lambda = #"{"class_name": "__lambda__", "config": {"value": ["YmFzZTY0", null, null]}}"#

    static func model(layers: String) -> String {
        #"{"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3], "dtype": "float32", "name": "in"}, "registered_name": null}, \#(layers)]}, "registered_name": null}"#
    }

    static func archive(config: String) throws -> KerasFile {
        let writer = try HDF5Writer()
        try writer.createGroup("/vars")
        try writer.setStringAttribute("/vars", name: "name", value: "s")
        var zip = ZipWriter()
        zip.addFile(name: "metadata.json", contents: ByteView(copying: Array(#"{"keras_version": "3.15.1", "date_saved": "x"}"#.utf8)))
        zip.addFile(name: "config.json", contents: ByteView(copying: Array(config.utf8)))
        zip.addFile(name: "model.weights.h5", contents: ByteView(copying: try writer.finish()))
        return KerasFile.read(bytes: ByteView(copying: try zip.archiveBytes()), name: "m.keras")
    }

    static let lambdaLayer = #"{"module": "keras.layers", "class_name": "Lambda", "config": {"name": "l", "function": \#(lambda)}, "registered_name": null}"#

    @Test(arguments: [
        (lambdaLayer, "/config/layers/1/config/function"),
        (#"{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", "units": 2, "kernel_initializer": \#(lambda)}, "registered_name": null}"#,
         "/config/layers/1/config/kernel_initializer"),
        (#"{"module": "keras.layers", "class_name": "TimeDistributed", "config": {"name": "t", "layer": \#(lambdaLayer)}, "registered_name": null}"#,
         "/config/layers/1/config/layer/config/function"),
        (#"{"module": "keras.layers", "class_name": "Lambda", "config": {"name": "k2", "function": ["code", null, null], "function_type": "lambda"}, "registered_name": null}"#,
         "/config/layers/1/config/function"),
    ])
    func lambdaIsRefusedWithItsPointer(layer: String, pointer: String) throws {
        let file = try Self.archive(config: Self.model(layers: layer))
        do {
            _ = try loadModel(file)
            Issue.record("a lambda loaded in safe mode")
        } catch {
            #expect(error.code == ReferenceError.Code.unsafeLambda)
            #expect(error.location == pointer)
        }
    }

    @Test func unsafeLoadNeverRunsTheLambda() throws {
        let file = try Self.archive(config: Self.model(layers: Self.lambdaLayer))
        let model = try loadModel(file, options: LoadOptions(safeMode: false))
        #expect(throws: ReferenceError(ReferenceError.Code.notImplemented, "")) {
            try model.predict([Tensor(zeros: [1, 3])])
        }
    }

    @Test func unknownCustomClassIsNotResolved() throws {
        let custom = #"{"module": "os", "class_name": "system", "config": {"name": "x"}, "registered_name": "evil>system"}"#
        let file = try Self.archive(config: Self.model(layers: custom))
        #expect(throws: ReferenceError(ReferenceError.Code.unknownClass, "")) { try loadModel(file) }
    }
}
