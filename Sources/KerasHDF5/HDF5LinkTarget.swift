/// What a link points at. Soft and external links are reported, never followed.
public indirect enum HDF5LinkTarget: Sendable {
    /// A hard link to a group.
    case group(HDF5Group)
    /// A hard link to a dataset.
    case dataset(HDF5Dataset)
    /// A hard link to a named (committed) datatype.
    case namedDatatype(HDF5NamedDatatype)
    /// A soft link: a path inside this file.
    case soft(path: String)
    /// An external link: an object path inside another file.
    case external(file: String, path: String)
}
