/// The kind of a dataspace (Dataspace message, format spec IV.A.2.b).
public enum HDF5DataspaceKind: Sendable, Hashable {
    /// One element, rank 0 (h5py: shape `()`).
    case scalar
    /// An array of the given shape (possibly with zero-length dimensions).
    case simple
    /// No elements at all (h5py: `h5py.Empty`).
    case null
}
