import KerasBytes

/// An HDF5 file opened by the strict pure-Swift reader: every group, dataset and attribute is read
/// and checked when the file is opened; dataset values are read on demand with ``data(of:)``.
///
/// ```swift
/// let file = try HDF5File.open(ByteView(mappingFileAt: "model.weights.h5"))
/// try file.walk { node in if case let .dataset(dataset) = node { _ = try file.data(of: dataset) } }
/// ```
public struct HDF5File: Sendable {
    /// The superblock version: 0 (Keras and h5py default), 1, 2 or 3 (`libver="latest"`).
    public let superblockVersion: Int
    /// The root group with the whole tree below it.
    public let root: HDF5Group
    /// The file's bytes.
    public let bytes: ByteView
    /// The limits the file was opened with; ``data(of:)`` uses them too.
    public let limits: HDF5Limits
    /// Bytes before the superblock (a user block: 0, 512, 1024, ...).
    public var userBlockSize: Int { geometry.base }
    /// Size of file addresses in bytes.
    public var sizeOfOffsets: Int { geometry.offsetSize }
    /// Size of file lengths in bytes.
    public var sizeOfLengths: Int { geometry.lengthSize }
    let geometry: HDF5Geometry

    /// Reads and checks the superblock and every object, link, attribute and index reachable from the root.
    ///
    /// Cost is proportional to the metadata, never to dataset values: contiguous data is only
    /// bounds-checked. Throws the first problem found.
    public static func open(_ bytes: ByteView, limits: HDF5Limits = HDF5Limits()) throws(HDF5Error) -> HDF5File {
        let superblock = try HDF5Superblock.read(bytes, limits: limits)
        var geometry = superblock.geometry
        if let extensionAddress = superblock.extensionAddress {
            geometry = try HDF5Decoder(geometry: geometry, limits: limits).superblockExtension(at: extensionAddress)
        }
        let decoder = HDF5Decoder(geometry: geometry, limits: limits)
        guard case let .group(root) = try decoder.object(at: superblock.rootAddress, path: "/") else {
            throw HDF5Error(HDF5Error.Code.superblockInvalid, "the root object is not a group", address: superblock.rootAddress, path: "/")
        }
        return HDF5File(superblockVersion: superblock.version, root: root, bytes: bytes, limits: limits, geometry: geometry)
    }

    /// The element bytes of `dataset` in C order: exactly element count times element size.
    ///
    /// Contiguous and compact data are zero-copy views of the file. Unwritten data (undefined
    /// address, no chunks) reads as the fill value, zeros by default. Chunked data (version 1 B-tree,
    /// single chunk, implicit and fixed array indexes; deflate, shuffle and Fletcher-32 filters) is
    /// decoded into a new buffer of at most ``HDF5Limits/maxDeclaredDatasetBytes``. External and
    /// virtual storage is never read.
    public func data(of dataset: HDF5Dataset) throws(HDF5Error) -> ByteView {
        try HDF5Decoder(geometry: geometry, limits: limits).data(of: dataset)
    }

    /// The bytes stored in the file for `dataset`, as h5py's `get_storage_size()` reports them:
    /// the contiguous size when allocated or stored externally, the compact size, or the sum of the
    /// stored (filtered) chunk sizes; 0 for unallocated and virtual storage. Keras's shape-bomb rule
    /// compares declared bytes with this. Reads the chunk index, never the values.
    public func storageSize(of dataset: HDF5Dataset) throws(HDF5Error) -> Int {
        try HDF5Decoder(geometry: geometry, limits: limits).storageSize(of: dataset)
    }

    /// Visits the root, then every node depth-first with links in ``HDF5Group/links`` order.
    /// A hard-linked alias is visited once per path that reaches it.
    public func walk(_ visit: (HDF5Node) throws -> Void) rethrows {
        try HDF5File.walk(root, visit)
    }

    private static func walk(_ group: HDF5Group, _ visit: (HDF5Node) throws -> Void) rethrows {
        try visit(.group(group))
        for link in group.links {
            let path = group.path == "/" ? "/" + link.name : group.path + "/" + link.name
            switch link.target {
            case let .group(child): try walk(child, visit)
            case let .dataset(dataset): try visit(.dataset(dataset))
            case let .namedDatatype(datatype): try visit(.namedDatatype(datatype))
            case let .soft(target): try visit(.softLink(path: path, target: target))
            case let .external(file, target): try visit(.externalLink(path: path, file: file, target: target))
            }
        }
    }

    /// The link target at an absolute or root-relative `path`, following hard links only
    /// (nil when a component is missing or is a soft or external link).
    public func object(at path: String) -> HDF5LinkTarget? {
        var current = HDF5LinkTarget.group(root)
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard case let .group(group) = current, let link = group.link(String(component)) else { return nil }
            current = link.target
        }
        return current
    }
}
