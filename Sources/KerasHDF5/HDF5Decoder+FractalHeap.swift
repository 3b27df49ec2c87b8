import KerasBytes

extension HDF5Decoder {
    private static let frhpSignature: [UInt8] = Array("FRHP".utf8)
    private static let fhdbSignature: [UInt8] = Array("FHDB".utf8)
    private static let fhibSignature: [UInt8] = Array("FHIB".utf8)
    private static let directBlocksChecksummed: UInt8 = 0x02
    private static let largestHeapSizeBits = 63
    private static let heapIDTypeManaged: UInt8 = 0
    private static let heapIDTypeHuge: UInt8 = 1
    private static let heapIDTypeTiny: UInt8 = 2
    /// Heap IDs longer than this encode tiny-object lengths in 12 bits ("extended" tiny objects).
    private static let normalTinyHeapIDLimit = 18

    /// Format spec III.G: Fractal Heap header.
    func fractalHeap(at address: UInt64?) throws(HDF5Error) -> HDF5FractalHeap {
        try spend(at: address)
        let size = 4 + 1 + 2 + 2 + 1 + 4 + 12 * lengthSize + 3 * offsetSize + 2 + 2 + 2 + 2 + 4
        var reader = try cursor(at: address, length: size, code: HDF5Error.Code.fractalHeapInvalid, what: "fractal heap header")
        try reader.expectSignature(HDF5Decoder.frhpSignature, code: HDF5Error.Code.fractalHeapSignatureInvalid)
        let version = try reader.u8()
        guard version == 0 else {
            throw reader.error(HDF5Error.Code.fractalHeapVersionUnsupported, "version \(version); only 0 is defined")
        }
        let heapIDLength = Int(try reader.u16())
        let filterLength = Int(try reader.u16())
        let flags = try reader.u8()
        let maxManaged = Int(try reader.u32())
        _ = try reader.rawLength()
        _ = try reader.rawAddress()
        _ = try reader.rawLength()
        _ = try reader.rawAddress()
        for _ in 0..<8 { _ = try reader.rawLength() }
        let tableWidth = Int(try reader.u16())
        let startingBlockSize = try reader.length()
        let maxDirectBlockSize = try reader.length()
        let maxHeapSizeBits = Int(try reader.u16())
        _ = try reader.u16()
        let rootAddress = try reader.address()
        let rootRows = Int(try reader.u16())
        guard filterLength == 0 else {
            throw reader.error(HDF5Error.Code.featureUnsupported, "fractal heap with I/O filters (\(filterLength) bytes of filter information)")
        }
        let checked = reader.offset
        try verifyChecksum(reader.view, count: checked, address: address ?? 0, what: "fractal heap header")
        func isPowerOfTwo(_ value: Int) -> Bool { value > 0 && value & (value - 1) == 0 }
        guard isPowerOfTwo(tableWidth), isPowerOfTwo(startingBlockSize), isPowerOfTwo(maxDirectBlockSize),
            maxDirectBlockSize >= startingBlockSize, maxHeapSizeBits > 0, maxHeapSizeBits <= HDF5Decoder.largestHeapSizeBits,
            HDF5FractalHeap.log2(maxDirectBlockSize) < maxHeapSizeBits,
            HDF5FractalHeap.log2(startingBlockSize) + HDF5FractalHeap.log2(tableWidth) < maxHeapSizeBits
        else {
            throw reader.error("doubling table width \(tableWidth), block sizes \(startingBlockSize)...\(maxDirectBlockSize), heap bits \(maxHeapSizeBits)")
        }
        let heap = HDF5FractalHeap(
            address: address ?? 0, heapIDLength: heapIDLength, checksumsDirectBlocks: flags & HDF5Decoder.directBlocksChecksummed != 0,
            maxManagedObjectSize: maxManaged, tableWidth: tableWidth, startingBlockSize: startingBlockSize,
            maxDirectBlockSize: maxDirectBlockSize, maxHeapSizeBits: maxHeapSizeBits, rootAddress: rootAddress, rootRows: rootRows)
        let maxRows = maxHeapSizeBits - HDF5FractalHeap.log2(startingBlockSize) - HDF5FractalHeap.log2(tableWidth) + 1
        guard rootRows <= maxRows else {
            throw reader.error("root indirect block of \(rootRows) rows, at most \(maxRows) fit the heap size")
        }
        return heap
    }

    /// Format spec III.G, "Fractal Heap ID": the object a heap ID names.
    func heapObject(_ id: ByteView, in heap: HDF5FractalHeap, at address: UInt64) throws(HDF5Error) -> ByteView {
        var reader = cursor(over: id, address: address, code: HDF5Error.Code.fractalHeapInvalid, what: "fractal heap ID")
        let first = try reader.u8()
        guard first >> 6 == 0 else { throw reader.error("heap ID version \(first >> 6)") }
        switch (first >> 4) & 3 {
        case HDF5Decoder.heapIDTypeManaged:
            let offset = try reader.unsigned(width: heap.heapOffsetSize)
            let length = try reader.int(width: heap.heapLengthSize)
            return try managedObject(offset: offset, length: length, in: heap, at: address)
        case HDF5Decoder.heapIDTypeTiny:
            let length: Int
            if heap.heapIDLength <= HDF5Decoder.normalTinyHeapIDLimit {
                length = Int(first & 0x0F) + 1
            } else {
                length = (Int(first & 0x0F) << 8 | Int(try reader.u8())) + 1
            }
            return try reader.view(length)
        case HDF5Decoder.heapIDTypeHuge:
            throw reader.error(HDF5Error.Code.featureUnsupported, "huge fractal heap objects (stored outside the heap's blocks)")
        default:
            throw reader.error("heap ID type 3")
        }
    }

    /// Walks the doubling table from the root to the direct block holding `offset`.
    private func managedObject(offset: UInt64, length: Int, in heap: HDF5FractalHeap, at idAddress: UInt64) throws(HDF5Error) -> ByteView {
        func invalid(_ reason: String, _ address: UInt64?) -> HDF5Error {
            HDF5Error(HDF5Error.Code.fractalHeapInvalid, "fractal heap: \(reason)", address: address ?? idAddress)
        }
        guard length > 0, length <= heap.maxManagedObjectSize else {
            throw invalid("managed object of \(length) bytes (maximum \(heap.maxManagedObjectSize))", idAddress)
        }
        var blockAddress = heap.rootAddress
        var rows = heap.rootRows
        var blockOffset: UInt64 = 0
        var blockSize = UInt64(heap.startingBlockSize)
        var level = 0
        while rows > 0 {
            guard level < limits.maxBTreeDepth else {
                throw HDF5Error(HDF5Error.Code.indexDepthLimitExceeded,
                    "fractal heap indirect blocks nest deeper than maxBTreeDepth (\(limits.maxBTreeDepth))", address: blockAddress)
            }
            level += 1
            try spend(at: blockAddress)
            let directRows = min(rows, heap.maxDirectRows)
            let indirectRows = rows - directRows
            let entries = (directRows + indirectRows) * heap.tableWidth
            let size = 4 + 1 + offsetSize + heap.heapOffsetSize + entries * offsetSize
            let verified = blockAddress.map { verifiedHeapBlocks.contains($0) } ?? false
            let bytes = verified
                ? try dataView(at: blockAddress, length: size + 4, what: "fractal heap indirect block")
                : try view(at: blockAddress, length: size + 4, what: "fractal heap indirect block")
            var reader = cursor(over: bytes, address: blockAddress ?? 0, code: HDF5Error.Code.fractalHeapInvalid, what: "fractal heap indirect block")
            try reader.expectSignature(HDF5Decoder.fhibSignature, code: HDF5Error.Code.fractalHeapSignatureInvalid)
            let version = try reader.u8()
            guard version == 0 else {
                throw reader.error(HDF5Error.Code.fractalHeapVersionUnsupported, "indirect block version \(version)")
            }
            guard try reader.rawAddress() == heap.address else { throw reader.error("indirect block belongs to another heap") }
            let storedOffset = try reader.unsigned(width: heap.heapOffsetSize)
            guard storedOffset == blockOffset else {
                throw reader.error("indirect block records heap offset \(storedOffset), expected \(blockOffset)")
            }
            if !verified {
                try verifyChecksum(reader.view, count: size, address: blockAddress ?? 0, what: "fractal heap indirect block")
                if let blockAddress { verifiedHeapBlocks.insert(blockAddress) }
            }
            let relative = offset &- blockOffset
            var row = 0
            while row + 1 < rows && heap.rowStart(row: row + 1) <= relative { row += 1 }
            let column = (relative - heap.rowStart(row: row)) / heap.blockSize(row: row)
            guard offset >= blockOffset, column < UInt64(heap.tableWidth) else {
                throw invalid("heap offset \(offset) lies beyond the indirect block's \(rows) rows", blockAddress)
            }
            let entry = row * heap.tableWidth + Int(column)
            try reader.seek(4 + 1 + offsetSize + heap.heapOffsetSize + entry * offsetSize)
            let child = try reader.address()
            blockOffset += heap.rowStart(row: row) + column * heap.blockSize(row: row)
            blockSize = heap.blockSize(row: row)
            blockAddress = child
            guard child != nil else { throw invalid("heap offset \(offset) lies in an unallocated block", reader.fileAddress) }
            rows = row < heap.maxDirectRows ? 0 : heap.indirectRows(row: row)
        }
        guard let direct = blockAddress else { throw invalid("the heap has no root block", heap.address) }
        let block = try directBlock(at: direct, size: Int(blockSize), offset: blockOffset, in: heap)
        let headerSize = 4 + 1 + offsetSize + heap.heapOffsetSize + (heap.checksumsDirectBlocks ? 4 : 0)
        let local = offset - blockOffset
        guard local >= UInt64(headerSize), let start = Int(exactly: local), let slice = block.slice(offset: start, length: length) else {
            throw invalid("object at heap offset \(offset) of \(length) bytes does not fit its direct block", direct)
        }
        return slice
    }

    /// Format spec III.G, "Fractal Heap Direct Blocks": reads and verifies the block once.
    private func directBlock(at address: UInt64, size: Int, offset: UInt64, in heap: HDF5FractalHeap) throws(HDF5Error) -> ByteView {
        if verifiedHeapBlocks.contains(address) { return try dataView(at: address, length: size, what: "fractal heap direct block") }
        let block = try view(at: address, length: size, what: "fractal heap direct block")
        try spend(at: address)
        var reader = cursor(over: block, address: address, code: HDF5Error.Code.fractalHeapInvalid, what: "fractal heap direct block")
        try reader.expectSignature(HDF5Decoder.fhdbSignature, code: HDF5Error.Code.fractalHeapSignatureInvalid)
        let version = try reader.u8()
        guard version == 0 else { throw reader.error(HDF5Error.Code.fractalHeapVersionUnsupported, "direct block version \(version)") }
        guard try reader.rawAddress() == heap.address else { throw reader.error("direct block belongs to another heap") }
        let storedOffset = try reader.unsigned(width: heap.heapOffsetSize)
        guard storedOffset == offset else { throw reader.error("direct block records heap offset \(storedOffset), expected \(offset)") }
        if heap.checksumsDirectBlocks {
            let checksumAt = reader.offset
            let stored = try reader.u32()
            var copy = block.bytes
            for index in checksumAt..<(checksumAt + 4) { copy[index] = 0 }
            let computed = Lookup3.hash(copy)
            guard computed == stored else {
                throw HDF5Error(HDF5Error.Code.checksumMismatch,
                    "fractal heap direct block checksum is 0x\(String(stored, radix: 16)) but its bytes hash to 0x\(String(computed, radix: 16))",
                    address: address)
            }
        }
        verifiedHeapBlocks.insert(address)
        return block
    }
}
