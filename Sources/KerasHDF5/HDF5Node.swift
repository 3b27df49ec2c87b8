/// One node visited by ``HDF5File/walk(_:)``.
public enum HDF5Node: Sendable {
    /// A group (the root first).
    case group(HDF5Group)
    /// A dataset.
    case dataset(HDF5Dataset)
    /// A named datatype.
    case namedDatatype(HDF5NamedDatatype)
    /// A soft link at `path` pointing at `target`.
    case softLink(path: String, target: String)
    /// An external link at `path` pointing at `target` inside `file`.
    case externalLink(path: String, file: String, target: String)

    /// The path of the node.
    public var path: String {
        switch self {
        case let .group(group): return group.path
        case let .dataset(dataset): return dataset.path
        case let .namedDatatype(datatype): return datatype.path
        case let .softLink(path, _), let .externalLink(path, _, _): return path
        }
    }
}
