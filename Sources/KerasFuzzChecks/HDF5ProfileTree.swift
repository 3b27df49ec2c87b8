import KerasBytes
import KerasHDF5

/// The part of an HDF5 file that `HDF5Writer` can express, keyed by path: groups and their attributes,
/// datasets of the writer's dtypes with their data and attributes.
///
/// Left out, because the writer cannot express them: soft and external links, named datatypes; datasets
/// with a null dataspace, a rank-0 simple dataspace or a rank above 32 (libhdf5's `H5S_MAX_RANK`),
/// big-endian elements, a datatype that is not one of ``HDF5Writer/DType`` (opaque types other than
/// Keras's bfloat16, bit fields, strings, references, variable-length and array types, non-IEEE floats),
/// booleans other than 0 and 1, or data that cannot be read; attributes other than scalar or 1-D strings
/// without NUL and 1-D little-endian float64 arrays. Layout, chunking, filters, fill values, link order,
/// string charsets and padding are not compared (the writer always writes h5py's defaults).
struct HDF5ProfileTree: Equatable {
    /// An attribute value the writer can write.
    enum AttributeValue: Equatable {
        /// A scalar string.
        case string(String)
        /// A 1-D string array.
        case strings([String])
        /// A 1-D float64 array, as bit patterns (NaN payloads included).
        case float64s([UInt64])
    }

    /// A dataset the writer can write.
    struct Dataset: Equatable {
        var dtype: HDF5Writer.DType
        var shape: [Int]
        var data: ByteView
        var attributes: [String: AttributeValue]
    }

    /// Attributes of every group, by path (the root is `/`).
    var groups: [String: [String: AttributeValue]] = [:]
    /// Every dataset, by path.
    var datasets: [String: Dataset] = [:]
    /// Paths left out, with the reason; not part of equality.
    var omitted: [String] = []

    /// libhdf5's `H5S_MAX_RANK`.
    static let maxWriterRank = 32

    /// The profile of `file`, with dataset data taken from `data` (by object address; absent: unreadable).
    init(_ file: HDF5File, data: [UInt64: ByteView]) {
        file.walk { node in
            switch node {
            case .group(let group):
                groups[group.path] = attributes(group.attributes, path: group.path)
            case .dataset(let dataset):
                if let projected = project(dataset, data: data[dataset.address]) { datasets[dataset.path] = projected }
            case .namedDatatype, .softLink, .externalLink:
                omitted.append("\(node.path): not a group or dataset")
            }
        }
    }

    static func == (lhs: HDF5ProfileTree, rhs: HDF5ProfileTree) -> Bool {
        lhs.groups == rhs.groups && lhs.datasets == rhs.datasets
    }

    /// The number of objects and the bytes of data the tree holds.
    var size: (objects: Int, bytes: Int) {
        (groups.count + datasets.count, datasets.values.reduce(0) { $0 + $1.data.count })
    }

    /// The file `HDF5Writer` makes of this tree.
    func write() throws(HDF5WriteError) -> [UInt8] {
        let writer = try HDF5Writer()
        for (path, attributes) in groups.sorted(by: { $0.key < $1.key }) {
            if path != "/" { try writer.createGroup(path) }
            try Self.write(attributes, at: path, with: writer)
        }
        for (path, dataset) in datasets.sorted(by: { $0.key < $1.key }) {
            try writer.createDataset(path, dtype: dataset.dtype, shape: dataset.shape, data: dataset.data)
            try Self.write(dataset.attributes, at: path, with: writer)
        }
        return try writer.finish()
    }

    private static func write(
        _ attributes: [String: AttributeValue], at path: String, with writer: HDF5Writer
    ) throws(HDF5WriteError) {
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            switch value {
            case .string(let text): try writer.setStringAttribute(path, name: name, value: text)
            case .strings(let texts): try writer.setStringArrayAttribute(path, name: name, values: texts)
            case .float64s(let bits): try writer.setFloat64ArrayAttribute(path, name: name, values: bits.map(Double.init(bitPattern:)))
            }
        }
    }

    private mutating func project(_ dataset: HDF5Dataset, data: ByteView?) -> Dataset? {
        let path = dataset.path
        let shape: [Int]
        switch dataset.dataspaceKind {
        case .scalar: shape = []
        case .simple where !dataset.shape.isEmpty && dataset.shape.count <= Self.maxWriterRank: shape = dataset.shape
        case .simple, .null:
            omitted.append("\(path): dataspace the writer cannot make")
            return nil
        }
        guard let dtype = Self.writerDType(of: dataset) else {
            omitted.append("\(path): datatype \(dataset.datatype) is not a writer dtype")
            return nil
        }
        guard let data else {
            omitted.append("\(path): data unreadable")
            return nil
        }
        if dtype == .bool, data.contains(where: { $0 > 1 }) {
            omitted.append("\(path): bool data other than 0 and 1")
            return nil
        }
        return Dataset(dtype: dtype, shape: shape, data: data, attributes: attributes(dataset.attributes, path: path))
    }

    /// The writer dtype that stores `dataset`'s elements byte for byte, or nil.
    static func writerDType(of dataset: HDF5Dataset) -> HDF5Writer.DType? {
        let type = dataset.datatype
        switch type {
        case .opaque(size: 2, _):
            return dataset.attribute("dtype")?.value.stringValue == HDF5Writer.DType.bfloat16.rawValue ? .bfloat16 : nil
        case .compound(_, let members):
            guard members.allSatisfy({ $0.datatype.isBigEndian == false }) else { return nil }
        default:
            guard type.isBigEndian == false else { return nil }
        }
        guard let name = type.kerasDTypeName, let dtype = HDF5Writer.DType(rawValue: name), dtype != .bfloat16 else {
            return nil
        }
        return dtype
    }

    private mutating func attributes(_ attributes: [HDF5Attribute], path: String) -> [String: AttributeValue] {
        var values: [String: AttributeValue] = [:]
        for attribute in attributes {
            if let value = Self.value(of: attribute) {
                values[attribute.name] = value
            } else {
                omitted.append("\(path)@\(attribute.name): attribute the writer cannot make")
            }
        }
        return values
    }

    private static func value(of attribute: HDF5Attribute) -> AttributeValue? {
        guard !attribute.name.isEmpty, !attribute.name.unicodeScalars.contains("\0") else { return nil }
        let oneDimensional = attribute.dataspaceKind == .simple && attribute.shape.count == 1
        switch attribute.value {
        case .strings(let texts):
            guard !texts.contains(where: { $0.unicodeScalars.contains("\0") }) else { return nil }
            if attribute.dataspaceKind == .scalar, texts.count == 1 { return .string(texts[0]) }
            return oneDimensional && attribute.shape[0] == texts.count ? .strings(texts) : nil
        case .floats(let numbers):
            guard oneDimensional, attribute.datatype.kerasDTypeName == HDF5Writer.DType.float64.rawValue,
                attribute.datatype.isBigEndian == false
            else { return nil }
            return .float64s(numbers.map(\.bitPattern))
        default:
            return nil
        }
    }
}
