/// One slot of a dataset's external file list (External Data Files message 0x07): part of the
/// dataset's values lives in another file. The reader never opens it.
public struct HDF5ExternalFile: Sendable, Hashable {
    /// The file name as stored (relative or absolute), from the list's local heap.
    public let name: String
    /// The byte offset inside that file.
    public let offset: UInt64
    /// The number of bytes in that file (`UInt64.max`: unlimited).
    public let size: UInt64

    /// A slot from its fields.
    public init(name: String, offset: UInt64, size: UInt64) {
        self.name = name
        self.offset = offset
        self.size = size
    }
}
