import KerasBytes

extension HDF5Decoder {
    private static let fahdSignature: [UInt8] = Array("FAHD".utf8)
    private static let fadbSignature: [UInt8] = Array("FADB".utf8)
    private static let chunkOffsetSize = 8
    private static let fixedArrayFilteredClient: UInt8 = 1

    /// The stored chunks of `dataset`, in the index's order.
    func chunks(of dataset: HDF5Dataset, chunkShape: [Int], indexAddress: UInt64?, index: HDF5ChunkIndex) throws(HDF5Error) -> [HDF5Chunk] {
        guard let indexAddress else { return [] }
        let elementSize = dataset.datatype.size
        let chunkBytes = Checked.product(chunkShape + [elementSize])!
        let grid = try chunkGrid(shape: dataset.maxShape.enumerated().map { $1 ?? dataset.shape[$0] }, chunkShape: chunkShape)
        switch index {
        case .bTreeV1:
            var chunks: [HDF5Chunk] = []
            var visited: Set<UInt64> = []
            try chunkNode(at: indexAddress, expectedLevel: nil, dataset: dataset, chunkShape: chunkShape, visited: &visited, into: &chunks)
            return chunks
        case let .singleChunk(filteredSize, filterMask):
            let size = filteredSize ?? chunkBytes
            return [HDF5Chunk(origin: chunkShape.map { _ in 0 }, address: indexAddress, size: size, filterMask: filterMask)]
        case .implicit:
            guard dataset.filters.isEmpty else {
                throw HDF5Error(HDF5Error.Code.layoutInvalid, "an implicit chunk index with filters", address: indexAddress)
            }
            let count = Checked.product(grid) ?? Int.max
            try checkChunkCount(count, at: indexAddress)
            var chunks: [HDF5Chunk] = []
            for linear in 0..<count {
                guard let offset = Checked.multiply(linear, chunkBytes) else { break }
                chunks.append(HDF5Chunk(origin: origin(linear, grid: grid, chunkShape: chunkShape),
                    address: indexAddress &+ UInt64(offset), size: chunkBytes, filterMask: 0))
            }
            return chunks.filter { chunk in zip(chunk.origin, dataset.shape).allSatisfy { $0 < $1 } }
        case let .fixedArray(pageBits):
            return try fixedArrayChunks(at: indexAddress, pageBits: pageBits, dataset: dataset, grid: grid, chunkShape: chunkShape,
                chunkBytes: chunkBytes)
        case .extensibleArray:
            throw HDF5Error(HDF5Error.Code.chunkIndexUnsupported, "extensible array chunk index (layout version 4, type 4)", address: indexAddress)
        case .bTreeV2:
            throw HDF5Error(HDF5Error.Code.chunkIndexUnsupported, "version 2 B-tree chunk index (layout version 4, type 5)", address: indexAddress)
        }
    }

    /// Chunks per dimension: ceil(extent / chunk).
    private func chunkGrid(shape: [Int], chunkShape: [Int]) throws(HDF5Error) -> [Int] {
        zip(shape, chunkShape).map { extent, chunk in extent / chunk + (extent % chunk == 0 ? 0 : 1) }
    }

    /// The origin of the chunk with row-major index `linear` in `grid`.
    private func origin(_ linear: Int, grid: [Int], chunkShape: [Int]) -> [Int] {
        var rest = linear
        var scaled = [Int](repeating: 0, count: grid.count)
        for dimension in grid.indices.reversed() {
            scaled[dimension] = rest % grid[dimension]
            rest /= grid[dimension]
        }
        return zip(scaled, chunkShape).map { $0 * $1 }
    }

    private func checkChunkCount(_ count: Int, at address: UInt64?) throws(HDF5Error) {
        guard count <= limits.maxChunkCount else {
            throw HDF5Error(HDF5Error.Code.chunkCountLimitExceeded,
                "more than maxChunkCount (\(limits.maxChunkCount)) chunks", address: address)
        }
    }

    /// Format spec III.A.1: a version 1 B-tree node of type 1 (raw data chunks).
    private func chunkNode(
        at address: UInt64?, expectedLevel: Int?, dataset: HDF5Dataset, chunkShape: [Int],
        visited: inout Set<UInt64>, into chunks: inout [HDF5Chunk]
    ) throws(HDF5Error) {
        guard let address else {
            throw HDF5Error(HDF5Error.Code.addressOutOfBounds, "a chunk B-tree node has the undefined address")
        }
        guard visited.insert(address).inserted else {
            throw HDF5Error(HDF5Error.Code.cycle, "chunk B-tree node \(HDF5Decoder.hex(address)) is reached twice", address: address)
        }
        try spend(at: address)
        let rank = chunkShape.count
        let keySize = 8 + HDF5Decoder.chunkOffsetSize * (rank + 1)
        let maxEntries = 2 * geometry.chunkInternalK
        let nodeSize = 8 + 2 * offsetSize + maxEntries * offsetSize + (maxEntries + 1) * keySize
        var reader = try cursor(at: address, length: nodeSize, code: HDF5Error.Code.bTreeNodeInvalid, what: "chunk B-tree node")
        try reader.expectSignature(Array("TREE".utf8), code: HDF5Error.Code.bTreeSignatureInvalid)
        let type = try reader.u8()
        let level = Int(try reader.u8())
        let used = Int(try reader.u16())
        _ = try reader.rawAddress()
        _ = try reader.rawAddress()
        guard type == HDF5Decoder.chunkNodeType else { throw reader.error("node type \(type) in a chunk B-tree") }
        if let expectedLevel, level != expectedLevel {
            throw reader.error("node of level \(level) where level \(expectedLevel) was expected")
        }
        guard level < limits.maxBTreeDepth else {
            throw reader.error(HDF5Error.Code.indexDepthLimitExceeded, "B-tree level \(level) reaches maxBTreeDepth (\(limits.maxBTreeDepth))")
        }
        guard used <= maxEntries else { throw reader.error("\(used) entries in a node of at most \(maxEntries) (2 x chunk K)") }
        var keys: [(size: Int, mask: UInt32, origin: [Int])] = []
        var children: [UInt64?] = []
        for index in 0...used {
            let size = Int(try reader.u32())
            let mask = try reader.u32()
            var origin: [Int] = []
            for _ in 0..<rank {
                let raw = try reader.u64()
                guard let value = Int(exactly: raw) else { throw reader.error(HDF5Error.Code.chunkInvalid, "chunk offset \(raw)") }
                origin.append(value)
            }
            let elementOffset = try reader.u64()
            keys.append((size, mask, origin))
            if index < used {
                guard elementOffset == 0 else { throw reader.error(HDF5Error.Code.chunkInvalid, "element offset \(elementOffset) in a chunk key") }
                children.append(try reader.address())
            }
        }
        for index in 0..<used {
            let key = keys[index]
            if let last = chunks.last, !last.origin.lexicographicallyPrecedes(key.origin) {
                throw reader.error(last.origin == key.origin ? HDF5Error.Code.chunkInvalid : HDF5Error.Code.bTreeKeyOrder,
                    "chunk at \(key.origin) does not follow chunk at \(last.origin)")
            }
            if level == 0 {
                try checkChunkCount(chunks.count + 1, at: address)
                guard let child = children[index] else { throw reader.error(HDF5Error.Code.chunkInvalid, "chunk at \(key.origin) has the undefined address") }
                for (dimension, offset) in key.origin.enumerated() {
                    guard offset % chunkShape[dimension] == 0, offset < dataset.shape[dimension] else {
                        throw reader.error(HDF5Error.Code.chunkInvalid,
                            "chunk at \(key.origin) is misaligned or outside the dataset shape \(dataset.shape)")
                    }
                }
                guard key.size > 0 else { throw reader.error(HDF5Error.Code.chunkInvalid, "chunk at \(key.origin) has size 0") }
                chunks.append(HDF5Chunk(origin: key.origin, address: child, size: key.size, filterMask: key.mask))
            } else {
                try chunkNode(at: children[index], expectedLevel: level - 1, dataset: dataset, chunkShape: chunkShape,
                    visited: &visited, into: &chunks)
            }
        }
    }

    /// Format spec VII.B (Fixed Array index): header `FAHD`, data block `FADB`, optional pages.
    private func fixedArrayChunks(
        at address: UInt64, pageBits: Int, dataset: HDF5Dataset, grid: [Int], chunkShape: [Int], chunkBytes: Int
    ) throws(HDF5Error) -> [HDF5Chunk] {
        try spend(at: address)
        let headerSize = 4 + 1 + 1 + 1 + 1 + lengthSize + offsetSize + 4
        var header = try cursor(at: address, length: headerSize, code: HDF5Error.Code.chunkIndexInvalid, what: "fixed array header")
        try header.expectSignature(HDF5Decoder.fahdSignature, code: HDF5Error.Code.chunkIndexInvalid)
        let version = try header.u8()
        guard version == 0 else { throw header.error("version \(version); only 0 is defined") }
        let client = try header.u8()
        let entrySize = Int(try header.u8())
        let headerPageBits = Int(try header.u8())
        let count = try header.length()
        let dataBlock = try header.address()
        try verifyChecksum(header.view, count: header.offset, address: address, what: "fixed array header")
        let filtered = !dataset.filters.isEmpty
        guard client == (filtered ? HDF5Decoder.fixedArrayFilteredClient : 0), headerPageBits == pageBits,
            pageBits > 0, pageBits < Int.bitWidth - 2
        else {
            throw header.error("client \(client) or page bits \(headerPageBits) disagree with the layout message")
        }
        let sizeWidth = entrySize - offsetSize - 4
        let expectedWidth = dataset.layoutVersion >= 5 ? lengthSize : min(8, 1 + (HDF5FractalHeap.log2(chunkBytes) + 8) / 8)
        guard filtered ? sizeWidth == expectedWidth : entrySize == offsetSize else {
            throw header.error("entry size \(entrySize) for \(filtered ? "filtered" : "unfiltered") chunks of \(chunkBytes) bytes")
        }
        guard Checked.product(grid) == count else {
            throw header.error("\(count) entries for a chunk grid of \(grid)")
        }
        try checkChunkCount(count, at: address)
        guard let dataBlock else { return [] }

        let pageSize = 1 << pageBits
        let paged = count > pageSize
        let pages = paged ? (count + pageSize - 1) / pageSize : 0
        let bitmapSize = (pages + 7) / 8
        let prefixSize = 4 + 1 + 1 + offsetSize + bitmapSize
        let blockSize = prefixSize + (paged ? 0 : count * entrySize) + 4
        try spend(at: dataBlock)
        var block = try cursor(at: dataBlock, length: blockSize, code: HDF5Error.Code.chunkIndexInvalid, what: "fixed array data block")
        try block.expectSignature(HDF5Decoder.fadbSignature, code: HDF5Error.Code.chunkIndexInvalid)
        let blockVersion = try block.u8()
        let blockClient = try block.u8()
        let owner = try block.rawAddress()
        guard blockVersion == 0, blockClient == client, owner == address else {
            throw block.error("version \(blockVersion), client \(blockClient) or owner \(HDF5Decoder.hex(owner)) disagree with the header")
        }
        let bitmap = try block.bytes(bitmapSize)
        var entries: [(UInt64?, Int, UInt32)] = []
        func readEntries(_ reader: inout HDF5Cursor, _ n: Int) throws(HDF5Error) {
            for _ in 0..<n {
                let chunkAddress = try reader.address()
                if filtered {
                    let size = try reader.int(width: sizeWidth)
                    entries.append((chunkAddress, size, try reader.u32()))
                } else {
                    entries.append((chunkAddress, chunkBytes, 0))
                }
            }
        }
        if !paged { try readEntries(&block, count) }
        try verifyChecksum(block.view, count: block.offset, address: dataBlock, what: "fixed array data block")
        if paged {
            let pageBytes = pageSize * entrySize + 4
            for page in 0..<pages {
                let n = page == pages - 1 ? count - page * pageSize : pageSize
                guard bitmap[page / 8] & (0x80 >> UInt8(page % 8)) != 0 else {
                    entries.append(contentsOf: repeatElement((nil, 0, 0), count: n))
                    continue
                }
                try spend(at: dataBlock)
                let pageAddress = dataBlock &+ UInt64(blockSize) &+ UInt64(page * pageBytes)
                var reader = try cursor(at: pageAddress, length: n * entrySize + 4, code: HDF5Error.Code.chunkIndexInvalid,
                    what: "fixed array page")
                try readEntries(&reader, n)
                try verifyChecksum(reader.view, count: reader.offset, address: pageAddress, what: "fixed array page")
            }
        }
        var chunks: [HDF5Chunk] = []
        for (linear, entry) in entries.enumerated() {
            guard let chunkAddress = entry.0 else { continue }
            let chunkOrigin = origin(linear, grid: grid, chunkShape: chunkShape)
            guard zip(chunkOrigin, dataset.shape).allSatisfy({ $0 < $1 }) else { continue }
            chunks.append(HDF5Chunk(origin: chunkOrigin, address: chunkAddress, size: entry.1, filterMask: entry.2))
        }
        return chunks
    }
}
