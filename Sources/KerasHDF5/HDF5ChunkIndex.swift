/// How the chunks of a chunked dataset are indexed (layout version 3: always a version 1 B-tree).
public enum HDF5ChunkIndex: Sendable, Hashable {
    /// A version 1 B-tree of node type 1 (layout version 3, and version 4 files written for old readers).
    case bTreeV1
    /// One chunk covering the whole dataset; `filteredSize` and `filterMask` when the chunk is filtered.
    case singleChunk(filteredSize: Int?, filterMask: UInt32)
    /// Chunks stored back to back in row-major order without an index (no filters).
    case implicit
    /// A fixed array (`FAHD`/`FADB`) with pages of 2^`pageBits` entries.
    case fixedArray(pageBits: Int)
    /// An extensible array (`EAHD`); listed, not read (`chunkIndexUnsupported`).
    case extensibleArray
    /// A version 2 B-tree (`BTHD` of type 10 or 11); listed, not read (`chunkIndexUnsupported`).
    case bTreeV2
}
