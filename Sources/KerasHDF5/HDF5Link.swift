/// A named link of a group and what it resolves to.
public struct HDF5Link: Sendable {
    /// The link name (one path component).
    public let name: String
    /// What the link points at.
    public let target: HDF5LinkTarget
    /// The creation order index, when the group tracks it.
    public let creationOrder: Int64?

    /// A link from its fields.
    public init(name: String, target: HDF5LinkTarget, creationOrder: Int64?) {
        self.name = name
        self.target = target
        self.creationOrder = creationOrder
    }
}
