import KerasBytes

extension HDF5Decoder {
    private static let bthdSignature: [UInt8] = Array("BTHD".utf8)
    private static let btinSignature: [UInt8] = Array("BTIN".utf8)
    private static let btlfSignature: [UInt8] = Array("BTLF".utf8)
    /// Signature, version, type and checksum of every node.
    private static let v2NodePrefixSize = 10

    /// Type 5: link name index of dense groups.
    static let linkNameRecordType: UInt8 = 5
    /// Type 8: attribute name index of dense attribute storage.
    static let attributeNameRecordType: UInt8 = 8

    /// Format spec III.A.2: a version 2 B-tree header and all its records, in key order.
    func v2BTreeRecords(at address: UInt64?, expectedType: UInt8, recordSize expectedSize: Int) throws(HDF5Error) -> [(ByteView, UInt64)] {
        try spend(at: address)
        let headerSize = 4 + 1 + 1 + 4 + 2 + 2 + 1 + 1 + offsetSize + 2 + lengthSize + 4
        var reader = try cursor(at: address, length: headerSize, code: HDF5Error.Code.v2BTreeInvalid, what: "version 2 B-tree header")
        try reader.expectSignature(HDF5Decoder.bthdSignature, code: HDF5Error.Code.v2BTreeSignatureInvalid)
        let version = try reader.u8()
        guard version == 0 else { throw reader.error(HDF5Error.Code.v2BTreeVersionUnsupported, "version \(version); only 0 is defined") }
        let type = try reader.u8()
        let nodeSize = Int(try reader.u32())
        let recordSize = Int(try reader.u16())
        let depth = Int(try reader.u16())
        _ = try reader.u8()
        _ = try reader.u8()
        let root = try reader.address()
        let rootRecords = Int(try reader.u16())
        let total = try reader.rawLength()
        try verifyChecksum(reader.view, count: reader.offset, address: address ?? 0, what: "version 2 B-tree header")
        guard type == expectedType, recordSize == expectedSize else {
            throw reader.error("type \(type) with \(recordSize)-byte records where type \(expectedType) with \(expectedSize)-byte records belongs")
        }
        guard depth < limits.maxBTreeDepth else {
            throw reader.error(HDF5Error.Code.indexDepthLimitExceeded, "depth \(depth) reaches maxBTreeDepth (\(limits.maxBTreeDepth))")
        }
        guard nodeSize > HDF5Decoder.v2NodePrefixSize + recordSize else {
            throw reader.error("node size \(nodeSize) cannot hold a record of \(recordSize) bytes")
        }
        let shape = HDF5V2TreeShape(nodeSize: nodeSize, recordSize: recordSize, depth: depth, offsetSize: offsetSize)
        var records: [(ByteView, UInt64)] = []
        guard let root else {
            guard rootRecords == 0, total == 0 else { throw reader.error("an empty tree declares \(total) records") }
            return records
        }
        var visited: Set<UInt64> = []
        try v2Node(at: root, records: rootRecords, depth: depth, type: type, shape: shape, visited: &visited, into: &records)
        guard UInt64(records.count) == total else {
            throw reader.error("header declares \(total) records but the nodes hold \(records.count)")
        }
        return records
    }

    /// Format spec III.A.2: one internal ("BTIN") or leaf ("BTLF") node.
    private func v2Node(
        at address: UInt64, records count: Int, depth: Int, type: UInt8, shape: HDF5V2TreeShape,
        visited: inout Set<UInt64>, into records: inout [(ByteView, UInt64)]
    ) throws(HDF5Error) {
        guard visited.insert(address).inserted else {
            throw HDF5Error(HDF5Error.Code.cycle, "version 2 B-tree node \(HDF5Decoder.hex(address)) is reached twice", address: address)
        }
        try spend(at: address)
        let what = depth == 0 ? "version 2 B-tree leaf" : "version 2 B-tree internal node"
        var reader = try cursor(at: address, length: shape.nodeSize, code: HDF5Error.Code.v2BTreeInvalid, what: what)
        try reader.expectSignature(depth == 0 ? HDF5Decoder.btlfSignature : HDF5Decoder.btinSignature,
            code: HDF5Error.Code.v2BTreeSignatureInvalid)
        let version = try reader.u8()
        guard version == 0 else { throw reader.error(HDF5Error.Code.v2BTreeVersionUnsupported, "node version \(version)") }
        let nodeType = try reader.u8()
        guard nodeType == type else { throw reader.error("node type \(nodeType) in a tree of type \(type)") }
        guard count <= shape.maxRecords[depth] else {
            throw reader.error("\(count) records in a node of at most \(shape.maxRecords[depth])")
        }
        var own: [(ByteView, UInt64)] = []
        for _ in 0..<count {
            let at = reader.fileAddress
            own.append((try reader.view(shape.recordSize), at))
        }
        var children: [(UInt64?, Int)] = []
        if depth > 0 {
            for _ in 0...count {
                let child = try reader.address()
                let childRecords = try reader.int(width: shape.recordCountSize)
                if depth > 1 { _ = try reader.unsigned(width: shape.totalCountSize[depth - 1]) }
                children.append((child, childRecords))
            }
        }
        try verifyChecksum(reader.view, count: reader.offset, address: address, what: what)
        guard depth > 0 else {
            records.append(contentsOf: own)
            return
        }
        for (index, (child, childRecords)) in children.enumerated() {
            guard let child else { throw reader.error("child \(index) has the undefined address") }
            try v2Node(at: child, records: childRecords, depth: depth - 1, type: type, shape: shape, visited: &visited, into: &records)
            if index < own.count { records.append(own[index]) }
        }
    }
}
