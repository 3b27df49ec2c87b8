import KerasBytes

/// A dataset: its dataspace, datatype, storage and attributes. Values are read with ``HDF5File/data(of:)``.
public struct HDF5Dataset: Sendable {
    /// The path by which the dataset was reached (`/layers/dense/vars/0`).
    public let path: String
    /// The object header address; two links with the same address are hard-link aliases of one dataset.
    public let address: UInt64
    /// The dataspace kind.
    public let dataspaceKind: HDF5DataspaceKind
    /// The current dimensions: `[]` for scalar and null dataspaces.
    public let shape: [Int]
    /// The maximum dimensions (nil: unlimited); equal to ``shape`` when the file stores none.
    public let maxShape: [Int?]
    /// The element datatype.
    public let datatype: HDF5Datatype
    /// Where the values are stored.
    public let layout: HDF5Layout
    /// The filter pipeline, in the order the writer applied it (empty when unfiltered).
    public let filters: [HDF5Filter]
    /// External raw storage slots (message 0x07); non-empty means the values live in other files.
    public let externalFiles: [HDF5ExternalFile]
    /// The fill value bytes (one element) when the file defines one; nil means zero bytes.
    public let fillValue: [UInt8]?
    /// The attributes, in the order h5py lists them (by name, or by creation order when tracked).
    public let attributes: [HDF5Attribute]
    /// Compact layout: the values stored in the layout message.
    let compactData: ByteView?
    /// Layout version 4 flag: partial edge chunks are stored without filters.
    let unfilteredEdgeChunks: Bool
    /// The data layout message version (filtered chunk sizes are wider from version 5).
    let layoutVersion: Int

    init(
        path: String, address: UInt64, dataspaceKind: HDF5DataspaceKind, shape: [Int], maxShape: [Int?],
        datatype: HDF5Datatype, layout: HDF5Layout, filters: [HDF5Filter], externalFiles: [HDF5ExternalFile],
        fillValue: [UInt8]?, attributes: [HDF5Attribute], compactData: ByteView?, unfilteredEdgeChunks: Bool, layoutVersion: Int
    ) {
        self.path = path
        self.address = address
        self.dataspaceKind = dataspaceKind
        self.shape = shape
        self.maxShape = maxShape
        self.datatype = datatype
        self.layout = layout
        self.filters = filters
        self.externalFiles = externalFiles
        self.fillValue = fillValue
        self.attributes = attributes
        self.compactData = compactData
        self.unfilteredEdgeChunks = unfilteredEdgeChunks
        self.layoutVersion = layoutVersion
    }

    /// The number of elements: 1 for scalar, 0 for null, the product of ``shape`` otherwise
    /// (nil on overflow, which ``HDF5File/open(_:limits:)`` never lets through).
    public var elementCount: Int? {
        switch dataspaceKind {
        case .scalar: return 1
        case .null: return 0
        case .simple: return Checked.product(shape)
        }
    }

    /// ``elementCount`` times the element size, checked.
    public var declaredByteCount: Int? {
        elementCount.flatMap { Checked.multiply($0, datatype.size) }
    }

    /// The attribute named `name`.
    public func attribute(_ name: String) -> HDF5Attribute? {
        attributes.first { $0.name == name }
    }
}
