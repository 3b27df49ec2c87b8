import KerasBytes

/// One stored chunk of a chunked dataset.
struct HDF5Chunk {
    /// Element coordinates of the chunk's first element.
    let origin: [Int]
    /// The file address of the stored (possibly filtered) bytes.
    let address: UInt64
    /// Stored bytes.
    let size: Int
    /// Bit i set: filter i of the pipeline was skipped for this chunk.
    let filterMask: UInt32
}
