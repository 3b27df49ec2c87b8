/// Every budget of the HDF5 reader, in one value.
///
/// Each field states its default and why. A file that needs more than a budget is reported with a
/// `limitExceeded` error code; raise the field to read it anyway.
public struct HDF5Limits: Sendable, Hashable {
    /// Structures visited while opening: object headers (each expansion of a hard-linked alias counts
    /// again), messages, B-tree nodes, symbol-table entries, heap blocks and global-heap objects.
    /// Default 1,000,000: a 300-layer Keras model with an optimizer needs about 30,000; the budget
    /// bounds the work an aliasing bomb can cause to well under a second.
    public var maxObjects: Int = 1_000_000

    /// Group nesting below the root. Default 64: Keras nests a few levels per sub-model; deeper
    /// trees only come from crafted files.
    public var maxDepth: Int = 64

    /// Declared bytes of one dataset (element count times element size). Default 4 GiB, the bound
    /// Keras itself applies (`KerasFileEditor`, and with the 1000x rule at load time).
    public var maxDeclaredDatasetBytes: Int = 1 << 32

    /// Declared bytes of all datasets together, aliases counted each time they are reached.
    /// Default 1 TiB: the largest single-file Keras checkpoints are tens of GB; more can only come
    /// from aliasing or shape bombs.
    public var maxTotalDeclaredBytes: Int = 1 << 40

    /// Rank of a dataspace. Default 64, the bound of `KerasFileEditor`. (HDF5 itself allows 32;
    /// a larger rank is malformed whatever this limit says.)
    public var maxRank: Int = 64

    /// Bytes of one attribute value, including the global-heap objects of its variable-length strings.
    /// Default 64 MiB: the largest legacy `model_config` JSON strings are a few MB.
    public var maxAttributeBytes: Int = 64 << 20

    /// Bytes of all attribute values together. Default 256 MiB, four of the largest single values.
    public var maxTotalAttributeBytes: Int = 256 << 20

    /// Attributes on one object. Default 65,536: Keras writes at most a handful per object.
    public var maxAttributesPerObject: Int = 1 << 16

    /// Links in one group. Default 1,048,576: the largest Keras groups are optimizer `vars` groups
    /// with two or three datasets per model variable.
    public var maxLinksPerGroup: Int = 1 << 20

    /// Levels of any tree-shaped index (v1 and v2 B-trees, fractal-heap indirect blocks).
    /// Default 32: a v1 B-tree of K = 16 with 32 levels would index 32^32 entries; real files use 1 to 3.
    public var maxBTreeDepth: Int = 32

    /// Chunks of one chunked dataset. Default 1,048,576: the chunk index is read whole before data is
    /// assembled, and Keras never chunks at all.
    public var maxChunkCount: Int = 1 << 20

    /// Bytes of one string value (an element of a string attribute). Default 64 MiB, as
    /// ``maxAttributeBytes``.
    public var maxStringLength: Int = 64 << 20

    /// Bytes of a link, attribute or external-file name. Default 65,535: HDF5 writers store attribute
    /// name lengths in 16 bits; Keras names are short.
    public var maxNameLength: Int = 65_535

    /// Nesting of datatypes (compound of array of variable-length ...). Default 16: Keras uses at
    /// most two levels (a compound of floats, a variable-length string over a byte).
    public var maxDatatypeDepth: Int = 16

    /// Bytes of metadata read while opening (object headers, index nodes, heaps) plus bytes of the
    /// paths built for the tree, counting a structure again each time a hard-linked alias makes the
    /// reader visit it. Default 256 MiB: the metadata of the largest Keras files measured is a few MB;
    /// the budget bounds checksum, scan and memory work on files whose structures overlap or alias
    /// each other, or whose long names nest deeply.
    public var maxMetadataBytes: Int = 256 << 20

    /// Whether bytes after the superblock's end-of-file address are accepted. Default false: HDF5
    /// writers truncate the file to that address on close, so extra bytes are appended data that no
    /// HDF5 reader looks at.
    public var allowBytesAfterEndOfFile: Bool = false

    /// The default limits.
    public init() {}
}
