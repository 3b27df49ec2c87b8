/// A group: its attributes and its links, each resolved to what it points at.
public struct HDF5Group: Sendable {
    /// The path by which the group was reached (`/` for the root).
    public let path: String
    /// The object header address; equal addresses mean hard-link aliases of one group.
    public let address: UInt64
    /// The attributes, in the order h5py lists them (by name, or by creation order when tracked).
    public let attributes: [HDF5Attribute]
    /// The links in the order h5py iterates them: byte-sorted names, or creation order when the group
    /// tracks it (`track_order=True`).
    public let links: [HDF5Link]
    /// How the group stores its links.
    public let storage: HDF5GroupStorage

    /// A group from its fields.
    public init(path: String, address: UInt64, attributes: [HDF5Attribute], links: [HDF5Link], storage: HDF5GroupStorage) {
        self.path = path
        self.address = address
        self.attributes = attributes
        self.links = links
        self.storage = storage
    }

    /// The link named `name`.
    public func link(_ name: String) -> HDF5Link? {
        links.first { $0.name == name }
    }

    /// The attribute named `name`.
    public func attribute(_ name: String) -> HDF5Attribute? {
        attributes.first { $0.name == name }
    }
}
