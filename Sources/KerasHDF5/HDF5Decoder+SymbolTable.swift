import KerasBytes

extension HDF5Decoder {
    private static let heapSignature: [UInt8] = Array("HEAP".utf8)
    private static let treeSignature: [UInt8] = Array("TREE".utf8)
    private static let snodSignature: [UInt8] = Array("SNOD".utf8)
    private static let groupNodeType: UInt8 = 0
    static let chunkNodeType: UInt8 = 1
    private static let cacheTypeNone: UInt32 = 0
    private static let cacheTypeGroup: UInt32 = 1
    private static let cacheTypeSoftLink: UInt32 = 2
    private static let symbolScratchSize = 16

    /// Format spec III.D: Local Heap header and its data segment.
    func localHeap(at address: UInt64?) throws(HDF5Error) -> HDF5LocalHeap {
        try spend(at: address)
        var reader = try cursor(at: address, length: 8 + 2 * lengthSize + offsetSize, code: HDF5Error.Code.localHeapInvalid, what: "local heap")
        try reader.expectSignature(HDF5Decoder.heapSignature, code: HDF5Error.Code.localHeapSignatureInvalid)
        let version = try reader.u8()
        guard version == 0 else {
            throw reader.error(HDF5Error.Code.localHeapVersionUnsupported, "version \(version); only 0 is defined")
        }
        try reader.skip(3)
        let size = try reader.length()
        _ = try reader.rawLength()
        let dataAddress = try reader.address()
        let data = try view(at: dataAddress, length: size, what: "local heap data segment")
        return HDF5LocalHeap(address: address ?? 0, data: data)
    }

    /// Format spec III.A.1 (version 1 B-tree, node type 0) and III.C (symbol table nodes): the entries of
    /// an old-style group in B-tree order, which is byte order of the names.
    func symbolTableEntries(bTree: UInt64?, heap: HDF5LocalHeap) throws(HDF5Error) -> [HDF5SymbolEntry] {
        var entries: [HDF5SymbolEntry] = []
        var visited: Set<UInt64> = []
        try groupNode(at: bTree, expectedLevel: nil, lowerKey: nil, upperKey: nil, heap: heap, visited: &visited, into: &entries)
        return entries
    }

    /// One version 1 B-tree node of type 0. `lowerKey` < every name below it <= `upperKey`.
    private func groupNode(
        at address: UInt64?, expectedLevel: Int?, lowerKey: [UInt8]?, upperKey: [UInt8]?, heap: HDF5LocalHeap,
        visited: inout Set<UInt64>, into entries: inout [HDF5SymbolEntry]
    ) throws(HDF5Error) {
        guard let address else {
            throw HDF5Error(HDF5Error.Code.addressOutOfBounds, "a group B-tree node has the undefined address")
        }
        guard visited.insert(address).inserted else {
            throw HDF5Error(HDF5Error.Code.cycle, "group B-tree node \(HDF5Decoder.hex(address)) is reached twice", address: address)
        }
        try spend(at: address)
        let maxEntries = 2 * geometry.groupInternalK
        let nodeSize = 8 + 2 * offsetSize + maxEntries * (offsetSize + lengthSize) + lengthSize
        var reader = try cursor(at: address, length: nodeSize,
            code: HDF5Error.Code.bTreeNodeInvalid, what: "group B-tree node")
        try reader.expectSignature(HDF5Decoder.treeSignature, code: HDF5Error.Code.bTreeSignatureInvalid)
        let type = try reader.u8()
        let level = Int(try reader.u8())
        let used = Int(try reader.u16())
        _ = try reader.rawAddress()
        _ = try reader.rawAddress()
        guard type == HDF5Decoder.groupNodeType else { throw reader.error("node type \(type) in a group B-tree") }
        if let expectedLevel, level != expectedLevel {
            throw reader.error("node of level \(level) where level \(expectedLevel) was expected")
        }
        guard level < limits.maxBTreeDepth else {
            throw reader.error(HDF5Error.Code.indexDepthLimitExceeded, "B-tree level \(level) reaches maxBTreeDepth (\(limits.maxBTreeDepth))")
        }
        guard used <= maxEntries else {
            throw reader.error("\(used) entries in a node of at most \(maxEntries) (2 x group internal K)")
        }
        var keys: [[UInt8]] = []
        var children: [UInt64?] = []
        keys.append(try heap.string(at: try reader.rawLength(), maxLength: limits.maxNameLength))
        for _ in 0..<used {
            children.append(try reader.address())
            keys.append(try heap.string(at: try reader.rawLength(), maxLength: limits.maxNameLength))
        }
        for index in 0..<used {
            let lower = keys[index]
            let upper = keys[index + 1]
            if let lowerKey, lower.lexicographicallyPrecedes(lowerKey) {
                throw reader.error(HDF5Error.Code.bTreeKeyOrder, "a key precedes its parent's lower key")
            }
            if let upperKey, upperKey.lexicographicallyPrecedes(upper) {
                throw reader.error(HDF5Error.Code.bTreeKeyOrder, "a key follows its parent's upper key")
            }
            guard !upper.lexicographicallyPrecedes(lower) else {
                throw reader.error(HDF5Error.Code.bTreeKeyOrder, "keys \(index) and \(index + 1) are out of order")
            }
            if level == 0 {
                try symbolNode(at: children[index], lowerKey: lower, upperKey: upper, heap: heap, visited: &visited, into: &entries)
            } else {
                try groupNode(at: children[index], expectedLevel: level - 1, lowerKey: lower, upperKey: upper, heap: heap,
                    visited: &visited, into: &entries)
            }
        }
    }

    /// Format spec III.C: a symbol table node ("SNOD") and its entries.
    private func symbolNode(
        at address: UInt64?, lowerKey: [UInt8], upperKey: [UInt8], heap: HDF5LocalHeap,
        visited: inout Set<UInt64>, into entries: inout [HDF5SymbolEntry]
    ) throws(HDF5Error) {
        guard let address else {
            throw HDF5Error(HDF5Error.Code.addressOutOfBounds, "a symbol table node has the undefined address")
        }
        guard visited.insert(address).inserted else {
            throw HDF5Error(HDF5Error.Code.cycle, "symbol table node \(HDF5Decoder.hex(address)) is reached twice", address: address)
        }
        try spend(at: address)
        let maxEntries = 2 * geometry.groupLeafK
        let entrySize = 2 * offsetSize + 8 + HDF5Decoder.symbolScratchSize
        var reader = try cursor(at: address, length: 8 + maxEntries * entrySize, code: HDF5Error.Code.symbolNodeInvalid,
            what: "symbol table node")
        try reader.expectSignature(HDF5Decoder.snodSignature, code: HDF5Error.Code.symbolNodeSignatureInvalid)
        let version = try reader.u8()
        guard version == 1 else {
            throw reader.error(HDF5Error.Code.symbolNodeVersionUnsupported, "version \(version); only 1 is defined")
        }
        _ = try reader.u8()
        let count = Int(try reader.u16())
        guard count <= maxEntries else {
            throw reader.error("\(count) entries in a node of at most \(maxEntries) (2 x group leaf K)")
        }
        for _ in 0..<count {
            try spend(at: reader.fileAddress)
            let nameOffset = try reader.rawLength()
            let objectAddress = try reader.address()
            let cacheType = try reader.u32()
            try reader.skip(4)
            let scratch = try reader.view(HDF5Decoder.symbolScratchSize)
            let name = try heap.string(at: nameOffset, maxLength: limits.maxNameLength)
            try HDF5Decoder.checkLinkName(name, at: reader.fileAddress)
            if let last = entries.last, !last.name.lexicographicallyPrecedes(name) {
                throw reader.error(last.name == name ? HDF5Error.Code.duplicateLinkName : HDF5Error.Code.bTreeKeyOrder,
                    "entry \(HDF5Cursor.printable(name)) does not follow \(HDF5Cursor.printable(last.name)) in byte order")
            }
            guard lowerKey.lexicographicallyPrecedes(name), !upperKey.lexicographicallyPrecedes(name) else {
                throw reader.error(HDF5Error.Code.bTreeKeyOrder,
                    "entry \(HDF5Cursor.printable(name)) lies outside its B-tree keys \(HDF5Cursor.printable(lowerKey))...\(HDF5Cursor.printable(upperKey))")
            }
            switch cacheType {
            case HDF5Decoder.cacheTypeNone, HDF5Decoder.cacheTypeGroup:
                guard objectAddress != nil else { throw reader.error("entry \(HDF5Cursor.printable(name)) has the undefined object address") }
                entries.append(HDF5SymbolEntry(name: name, objectAddress: objectAddress, softLinkValue: nil))
            case HDF5Decoder.cacheTypeSoftLink:
                let valueOffset = UInt64(scratch.loadLittleEndian(UInt32.self, at: 0)!)
                let value = try heap.string(at: valueOffset, maxLength: limits.maxStringLength)
                entries.append(HDF5SymbolEntry(name: name, objectAddress: nil, softLinkValue: value))
            default:
                throw reader.error("entry \(HDF5Cursor.printable(name)) has cache type \(cacheType)")
            }
        }
    }
}
