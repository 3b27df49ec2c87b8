/// A named (committed) datatype object.
public struct HDF5NamedDatatype: Sendable {
    /// The path by which the object was reached.
    public let path: String
    /// The object header address.
    public let address: UInt64
    /// The datatype.
    public let datatype: HDF5Datatype
    /// The attributes.
    public let attributes: [HDF5Attribute]

    /// A named datatype from its fields.
    public init(path: String, address: UInt64, datatype: HDF5Datatype, attributes: [HDF5Attribute]) {
        self.path = path
        self.address = address
        self.datatype = datatype
        self.attributes = attributes
    }
}
