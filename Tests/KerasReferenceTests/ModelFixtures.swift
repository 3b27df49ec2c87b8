import Foundation
import KerasJSON
import KerasReference

/// Small configs built by our own core and saved by our own savers, for the load/save API tests.
enum ModelFixtures {
    /// A Sequential `name` over inputs of width `width` holding the layer envelopes `layers` (JSON text).
    static func sequential(_ layers: [String], name: String = "m", width: Int = 3) throws -> JSONValue {
        let input = #"{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, \#(width)], "dtype": "float32", "name": "in"}, "registered_name": null}"#
        let text = #"{"module": "keras", "class_name": "Sequential", "config": {"name": "\#(name)", "trainable": true, "layers": [\#(([input] + layers).joined(separator: ", "))]}, "registered_name": null}"#
        return try JSONReader.parse(text)
    }

    /// A linear Dense layer envelope.
    static func dense(_ name: String, units: Int) -> String {
        #"{"module": "keras.layers", "class_name": "Dense", "config": {"name": "\#(name)", "units": \#(units), "activation": "linear", "use_bias": true}, "registered_name": null}"#
    }

    /// A custom layer registered in Keras as `my_pkg>Scale` (defined in `__main__`, so `module` is null).
    static func scale(_ name: String, registeredName: String = "my_pkg>Scale") -> String {
        #"{"module": null, "class_name": "Scale", "config": {"name": "\#(name)", "trainable": true, "dtype": "float32"}, "registered_name": "\#(registeredName)"}"#
    }

    /// Gives every variable distinct values derived from `seed`, so loads can be told apart.
    static func fill(_ model: KerasModel, seed: Float) throws {
        var counter: Float = 0
        for (_, layer) in model.saveableObjects {
            for variable in layer.variables {
                let values = variable.values.indices.map { _ -> Float in
                    counter += 1
                    return seed + counter / 64
                }
                try variable.assign(values)
            }
        }
    }

    /// Every variable's values by `<path>/<name>`.
    static func values(_ model: KerasModel) -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for (path, layer) in model.saveableObjects {
            for variable in layer.variables { result[path + "/" + variable.name] = variable.values }
        }
        return result
    }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kconform-ref2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
