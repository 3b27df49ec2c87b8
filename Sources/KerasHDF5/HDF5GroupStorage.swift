/// How a group stores its links.
public enum HDF5GroupStorage: Sendable, Hashable {
    /// Old style: symbol table message, version 1 B-tree, symbol nodes, local heap (Keras and h5py default).
    case symbolTable
    /// New style, links as messages in the object header (`track_order=True`, `libver="latest"`).
    case compact
    /// New style, links in a fractal heap indexed by a version 2 B-tree.
    case dense
}
