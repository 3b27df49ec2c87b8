import Foundation
import KerasBytes
import KerasFormat
import KerasHDF5
import KerasZip

/// Builds small Keras files in memory for rule tests, through our writers (libzip, libhdf5).
struct ModelFixture {
    static let metadata = #"{"keras_version": "3.15.1", "date_saved": "2026-11-22@12:00:00"}"#

    /// A Sequential model with one Dense(2) on 3 inputs, in the shape Keras 3.15.1 writes it.
    static let sequentialConfig = """
        {"module": "keras", "class_name": "Sequential", "config": {"name": "seq", "trainable": true, "dtype": \
        {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, \
        "layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3], \
        "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer", "optional": false}, \
        "registered_name": null}, {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", \
        "trainable": true, "units": 2, "activation": "linear", "use_bias": true}, "registered_name": null, \
        "build_config": {"input_shape": [null, 3]}}], "build_input_shape": [null, 3]}, "registered_name": null, \
        "build_config": {"input_shape": [null, 3]}, "compile_config": null}
        """

    /// A float32 array as little-endian bytes.
    static func floats(_ values: [Float]) -> ByteView {
        ByteView(copying: values.flatMap { value -> [UInt8] in
            withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
        })
    }

    /// The weights of ``sequentialConfig``; `edit` may add to the file before it is finished.
    static func weights(kernel: [Float] = [1, 2, 3, 4, 5, 6], edit: (HDF5Writer) throws -> Void = { _ in }) throws -> [UInt8] {
        let writer = try HDF5Writer()
        try writer.createGroup("/layers/dense/vars")
        try writer.setStringAttribute("/layers/dense/vars", name: "name", value: "dense")
        try writer.createDataset("/layers/dense/vars/0", dtype: .float32, shape: [3, 2], data: floats(kernel))
        try writer.createDataset("/layers/dense/vars/1", dtype: .float32, shape: [2], data: floats([0.5, -0.5]))
        try writer.createGroup("/vars")
        try writer.setStringAttribute("/vars", name: "name", value: "seq")
        try edit(writer)
        return try writer.finish()
    }

    /// An archive of `members` (name, bytes) in order; `deflated` names are compressed.
    static func archive(_ members: [(String, [UInt8])], deflated: Set<String> = []) throws -> [UInt8] {
        var writer = ZipWriter()
        for (name, bytes) in members {
            writer.addFile(name: name, contents: ByteView(copying: bytes),
                           compression: deflated.contains(name) ? .deflate : .stored)
        }
        return try writer.archiveBytes()
    }

    /// The standard three members, with `config` and `weights` replaceable.
    static func standardMembers(config: String = sequentialConfig, weights: [UInt8]? = nil) throws -> [(String, [UInt8])] {
        [("metadata.json", Array(metadata.utf8)), ("config.json", Array(config.utf8)),
         ("model.weights.h5", try weights ?? Self.weights())]
    }

    /// The findings of `check` over an in-memory file.
    static func check(_ bytes: [UInt8], name: String = "model.keras") -> CheckResult {
        Checker().check(KerasFile.read(bytes: ByteView(copying: bytes), name: name))
    }
}

extension CheckResult {
    /// The rule ids found, in order.
    var ruleIDs: [String] { findings.map(\.ruleID) }
}

/// A temporary directory removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "kconform-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: path + "/" + name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
