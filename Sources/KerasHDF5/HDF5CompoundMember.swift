/// One member of a compound datatype.
public struct HDF5CompoundMember: Sendable, Hashable {
    /// The member name.
    public let name: String
    /// The byte offset of the member inside the compound element.
    public let offset: Int
    /// The member's datatype.
    public let datatype: HDF5Datatype

    /// A member from its name, offset and datatype.
    public init(name: String, offset: Int, datatype: HDF5Datatype) {
        self.name = name
        self.offset = offset
        self.datatype = datatype
    }
}
