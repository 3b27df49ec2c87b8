/// The character set of a string datatype.
public enum HDF5StringCharset: Sendable, Hashable {
    /// US-ASCII (h5py: Python `bytes`).
    case ascii
    /// UTF-8 (h5py: Python `str`).
    case utf8
}
