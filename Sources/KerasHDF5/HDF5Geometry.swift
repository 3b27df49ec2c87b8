import KerasBytes

/// The superblock facts every structure read needs: where address 0 is, how wide addresses and
/// lengths are, where the file ends, and the B-tree node widths.
struct HDF5Geometry: Sendable {
    /// The whole file.
    let bytes: ByteView
    /// The absolute offset of address 0 (the superblock's position; non-zero after a user block).
    let base: Int
    /// The end-of-file address (relative to ``base``); no structure may reach past it.
    let endOfFile: UInt64
    /// Size of offsets (addresses) in bytes: 2, 4 or 8.
    let offsetSize: Int
    /// Size of lengths in bytes: 2, 4 or 8.
    let lengthSize: Int
    /// Symbol-table nodes hold up to 2 x this many entries.
    let groupLeafK: Int
    /// Group B-tree nodes hold up to 2 x this many children.
    let groupInternalK: Int
    /// Chunk B-tree nodes hold up to 2 x this many children.
    let chunkInternalK: Int

    /// The all-ones "undefined address" for this file's size of offsets.
    var undefinedAddress: UInt64 { HDF5Geometry.allOnes(width: offsetSize) }

    /// The all-ones value of `width` bytes.
    static func allOnes(width: Int) -> UInt64 {
        width >= 8 ? .max : (UInt64(1) << UInt64(8 * width)) - 1
    }
}
