/// An attribute of a group, dataset or named datatype, with its value decoded.
public struct HDF5Attribute: Sendable, Hashable {
    /// The attribute name.
    public let name: String
    /// The datatype of the value.
    public let datatype: HDF5Datatype
    /// The dataspace kind of the value.
    public let dataspaceKind: HDF5DataspaceKind
    /// The shape of the value: `[]` for scalar and null dataspaces.
    public let shape: [Int]
    /// The value.
    public let value: HDF5AttributeValue

    /// An attribute from its fields.
    public init(name: String, datatype: HDF5Datatype, dataspaceKind: HDF5DataspaceKind, shape: [Int], value: HDF5AttributeValue) {
        self.name = name
        self.datatype = datatype
        self.dataspaceKind = dataspaceKind
        self.shape = shape
        self.value = value
    }
}
