import KerasBytes

/// A decoded data layout message.
struct HDF5DecodedLayout {
    let layout: HDF5Layout
    let compactData: ByteView?
    /// The chunk dimensions' trailing element-size entry, for chunked layouts.
    let chunkElementSize: Int?
    let unfilteredEdgeChunks: Bool
    /// The message version (3, 4 or 5).
    var version = 3
}
