import KerasHDF5

/// One HDF5 file that holds weights: the weights member of an archive, a `.weights.h5`, a shard.
public struct WeightsSource: Sendable {
    /// The member or file name, for locations.
    public let name: String
    /// The parsed file.
    public let file: HDF5File
}

/// One stored variable.
public struct WeightVariable: Sendable {
    /// Index of the ``WeightsSource`` that holds it.
    public let sourceIndex: Int
    /// The owning object's path: `layers/dense`, `optimizer`, `` for the model itself; a layer name in legacy files.
    public let objectPath: String
    /// The key: `0`, `1`, ... in Keras 3 files; the weight name in legacy files.
    public let key: String
    /// The absolute HDF5 path of the dataset.
    public let hdf5Path: String
    /// The dataset.
    public let dataset: HDF5Dataset
    /// The Keras dtype (`float32`, `bfloat16`, `bool`), or a description of a type Keras does not store.
    public let dtype: String
    /// Whether ``dtype`` is one Keras stores.
    public let isKerasDType: Bool

    /// The shape; `[]` for a scalar.
    public var shape: [Int] { dataset.shape }
    /// The number of bytes the shape and dtype declare, when it fits in an `Int`.
    public var byteCount: Int? { dataset.declaredByteCount }
    /// The number of elements, when it fits in an `Int`.
    public var elementCount: Int? { dataset.elementCount }
}

/// An object with a `vars` group (Keras 3) or a layer group (legacy), with its variables in load order.
public struct WeightObject: Sendable {
    /// The object's path (`layers/dense`), or the layer name in legacy files.
    public let path: String
    /// The `name` attribute of the `vars` group (Keras 3) or the layer name (legacy).
    public let name: String?
    /// Variables in the order Keras assigns them: keys `0..n-1`, or `weight_names` order.
    public let variables: [WeightVariable]
}

/// The weights of a file, organised the way Keras reads them.
public struct WeightsTree: Sendable {
    /// The two layouts Keras reads.
    public enum Layout: String, Sendable {
        /// `<path>/vars/<i>` (FORMAT.md 4).
        case keras3
        /// `layer_names` / `weight_names` (FORMAT.md 7).
        case legacy
    }

    /// Which layout the file uses.
    public let layout: Layout
    /// The HDF5 files read.
    public let sources: [WeightsSource]
    /// The objects, in file order (Keras 3) or `layer_names` order (legacy).
    public let objects: [WeightObject]

    /// Every variable, object by object.
    public var variables: [WeightVariable] { objects.flatMap(\.variables) }
    /// The sum of every variable's declared bytes (nil when one does not fit).
    public var totalBytes: Int? {
        var total = 0
        for variable in variables {
            guard let bytes = variable.byteCount, let sum = Checked.add(total, bytes) else { return nil }
            total = sum
        }
        return total
    }
}

import KerasBytes

/// The Keras dtype name of a dataset, with the bfloat16 rule of FORMAT.md 4.4.
enum WeightDType {
    /// The name and whether Keras stores it.
    static func of(_ dataset: HDF5Dataset) -> (name: String, isKeras: Bool) {
        if case .opaque(let size, _) = dataset.datatype {
            let tag = dataset.attributes.first { $0.name == "dtype" }?.value.stringValue
            if size == 2, tag == "bfloat16" { return ("bfloat16", true) }
            return ("opaque\(size)" + (tag.map { " (dtype=\($0))" } ?? ""), false)
        }
        if let name = dataset.datatype.kerasDTypeName { return (name, true) }
        return (String(describing: dataset.datatype), false)
    }
}
