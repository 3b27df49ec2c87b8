/// A fractal heap header (format spec III.G), with the doubling-table geometry derived from it.
struct HDF5FractalHeap {
    let address: UInt64
    let heapIDLength: Int
    let checksumsDirectBlocks: Bool
    let maxManagedObjectSize: Int
    let tableWidth: Int
    let startingBlockSize: Int
    let maxDirectBlockSize: Int
    let maxHeapSizeBits: Int
    let rootAddress: UInt64?
    let rootRows: Int

    /// Bytes of a heap offset in heap IDs and block headers.
    var heapOffsetSize: Int { (maxHeapSizeBits + 7) / 8 }

    /// Bytes of an object length in managed heap IDs (`H5HF__hdr_finish_init_phase1`).
    var heapLengthSize: Int {
        let directOffsetSize = (HDF5FractalHeap.log2(maxDirectBlockSize) + 7) / 8
        return min(directOffsetSize, HDF5Decoder.limitEncodedSize(UInt64(maxManagedObjectSize)))
    }

    /// Rows of direct blocks in an indirect block; later rows hold indirect blocks.
    var maxDirectRows: Int { HDF5FractalHeap.log2(maxDirectBlockSize) - HDF5FractalHeap.log2(startingBlockSize) + 2 }

    /// The size of each block in `row`.
    func blockSize(row: Int) -> UInt64 {
        row == 0 ? UInt64(startingBlockSize) : UInt64(startingBlockSize) << UInt64(row - 1)
    }

    /// The heap offset, relative to its indirect block, where `row` starts.
    func rowStart(row: Int) -> UInt64 {
        row == 0 ? 0 : UInt64(tableWidth) * (UInt64(startingBlockSize) << UInt64(row - 1))
    }

    /// The rows of an indirect block that sits in `row` of its parent.
    func indirectRows(row: Int) -> Int {
        HDF5FractalHeap.log2(Int(blockSize(row: row))) - HDF5FractalHeap.log2(startingBlockSize * tableWidth) + 1
    }

    /// floor(log2(value)) for value > 0.
    static func log2(_ value: Int) -> Int { value <= 0 ? 0 : Int.bitWidth - 1 - value.leadingZeroBitCount }
}
