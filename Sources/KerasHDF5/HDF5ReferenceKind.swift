/// What a reference datatype points at.
public enum HDF5ReferenceKind: Sendable, Hashable {
    /// An object (its header address).
    case object
    /// A region of a dataset.
    case datasetRegion
    /// A revised (HDF5 1.12) reference of the given encoded type.
    case revised(Int)
}
