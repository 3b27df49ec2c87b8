/// Where a dataset's values are stored (Data Layout message, format spec IV.A.2.i).
public enum HDF5Layout: Sendable, Hashable {
    /// Inside the object header; `size` bytes.
    case compact(size: Int)
    /// One block of `size` bytes at `address`; nil address: never written (reads as the fill value).
    case contiguous(address: UInt64?, size: Int)
    /// Fixed-size chunks of `chunkShape` elements found through `index` at `indexAddress`
    /// (nil: no chunk written yet).
    case chunked(chunkShape: [Int], indexAddress: UInt64?, index: HDF5ChunkIndex)
    /// A virtual dataset: values mapped from other datasets, possibly in other files. Never read.
    case virtual
}
