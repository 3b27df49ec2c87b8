/// One named value of an enumeration datatype.
public struct HDF5EnumMember: Sendable, Hashable {
    /// The member name.
    public let name: String
    /// The value, decoded from the base integer type; an unsigned 64-bit value keeps its bit pattern.
    public let value: Int64

    /// A member from its name and value.
    public init(name: String, value: Int64) {
        self.name = name
        self.value = value
    }
}
