import KerasBytes

extension HDF5Decoder {
    private static let layoutCompact: UInt8 = 0
    private static let layoutContiguous: UInt8 = 1
    private static let layoutChunked: UInt8 = 2
    private static let layoutVirtual: UInt8 = 3
    private static let maxLayoutDimensions = 33
    private static let chunkFlagUnfilteredEdges: UInt8 = 0x01
    private static let chunkFlagFilteredSingleChunk: UInt8 = 0x02
    private static let filterOptional: UInt16 = 0x0001
    private static let maxFilters = 32
    private static let firstNamedFilterID = 256

    /// Format spec IV.A.2.i: Data Layout message, versions 3 and 4.
    func layout(_ message: HDF5Message) throws(HDF5Error) -> HDF5DecodedLayout {
        var reader = cursor(over: message.body, address: message.address, code: HDF5Error.Code.layoutInvalid, what: "data layout message")
        let version = try reader.u8()
        // Version 5 (HDF5 2.0) has version 4's encoding; only chunk-size fields of filtered chunk indexes widen.
        guard (3...5).contains(version) else {
            throw reader.error(HDF5Error.Code.layoutVersionUnsupported, "version \(version); the reader implements 3, 4 and 5")
        }
        let layoutClass = try reader.u8()
        var decoded = try layoutBody(&reader, version: version, layoutClass: layoutClass)
        decoded.version = Int(version)
        return decoded
    }

    private func layoutBody(_ reader: inout HDF5Cursor, version: UInt8, layoutClass: UInt8) throws(HDF5Error) -> HDF5DecodedLayout {
        switch layoutClass {
        case HDF5Decoder.layoutCompact:
            let size = Int(try reader.u16())
            let data = try reader.view(size)
            return HDF5DecodedLayout(layout: .compact(size: size), compactData: data, chunkElementSize: nil, unfilteredEdgeChunks: false)
        case HDF5Decoder.layoutContiguous:
            let address = try reader.address()
            let size = try reader.length()
            return HDF5DecodedLayout(layout: .contiguous(address: address, size: size), compactData: nil, chunkElementSize: nil,
                unfilteredEdgeChunks: false)
        case HDF5Decoder.layoutChunked where version == 3:
            let dimensions = Int(try reader.u8())
            guard dimensions >= 2, dimensions <= HDF5Decoder.maxLayoutDimensions else {
                throw reader.error("chunked layout with \(dimensions) dimensions")
            }
            let address = try reader.address()
            var chunk: [Int] = []
            for _ in 0..<dimensions { chunk.append(Int(try reader.u32())) }
            return HDF5DecodedLayout(layout: .chunked(chunkShape: Array(chunk.dropLast()), indexAddress: address, index: .bTreeV1),
                compactData: nil, chunkElementSize: chunk.last, unfilteredEdgeChunks: false)
        case HDF5Decoder.layoutChunked:
            let flags = try reader.u8()
            guard flags & ~(HDF5Decoder.chunkFlagUnfilteredEdges | HDF5Decoder.chunkFlagFilteredSingleChunk) == 0 else {
                throw reader.error("chunked layout flags 0x\(String(flags, radix: 16)) set reserved bits")
            }
            let dimensions = Int(try reader.u8())
            guard dimensions >= 2, dimensions <= HDF5Decoder.maxLayoutDimensions else {
                throw reader.error("chunked layout with \(dimensions) dimensions")
            }
            let width = Int(try reader.u8())
            guard (1...8).contains(width) else { throw reader.error("chunk dimensions encoded in \(width) bytes") }
            var chunk: [Int] = []
            for _ in 0..<dimensions { chunk.append(try reader.int(width: width)) }
            let indexType = try reader.u8()
            let index: HDF5ChunkIndex
            switch indexType {
            case 1:
                if flags & HDF5Decoder.chunkFlagFilteredSingleChunk != 0 {
                    let size = try reader.length()
                    index = .singleChunk(filteredSize: size, filterMask: try reader.u32())
                } else {
                    index = .singleChunk(filteredSize: nil, filterMask: 0)
                }
            case 2: index = .implicit
            case 3: index = .fixedArray(pageBits: Int(try reader.u8()))
            case 4:
                try reader.skip(5)
                index = .extensibleArray
            case 5:
                try reader.skip(6)
                index = .bTreeV2
            default:
                throw reader.error("chunk index type \(indexType)")
            }
            let address = try reader.address()
            return HDF5DecodedLayout(layout: .chunked(chunkShape: Array(chunk.dropLast()), indexAddress: address, index: index),
                compactData: nil, chunkElementSize: chunk.last,
                unfilteredEdgeChunks: flags & HDF5Decoder.chunkFlagUnfilteredEdges != 0)
        case HDF5Decoder.layoutVirtual where version >= 4:
            _ = try reader.rawAddress()
            _ = try reader.u32()
            return HDF5DecodedLayout(layout: .virtual, compactData: nil, chunkElementSize: nil, unfilteredEdgeChunks: false)
        default:
            throw reader.error("layout class \(layoutClass) in layout version \(version)")
        }
    }

    /// Format spec IV.A.2.l: Filter Pipeline message, versions 1 and 2.
    func filterPipeline(_ message: HDF5Message) throws(HDF5Error) -> [HDF5Filter] {
        var reader = cursor(over: message.body, address: message.address, code: HDF5Error.Code.filterPipelineInvalid, what: "filter pipeline message")
        let version = try reader.u8()
        guard version == 1 || version == 2 else {
            throw reader.error(HDF5Error.Code.messageVersionUnsupported, "filter pipeline version \(version); the reader implements 1 and 2")
        }
        let count = Int(try reader.u8())
        guard count <= HDF5Decoder.maxFilters else { throw reader.error("\(count) filters, HDF5 allows 32") }
        if version == 1 { try reader.skip(6) }
        var filters: [HDF5Filter] = []
        for _ in 0..<count {
            let id = Int(try reader.u16())
            let nameLength = version == 1 || id >= HDF5Decoder.firstNamedFilterID ? Int(try reader.u16()) : 0
            let flags = try reader.u16()
            let valueCount = Int(try reader.u16())
            var name = HDF5Filter.wellKnownName(id)
            if nameLength > 0 {
                let field = try reader.bytes(version == 1 ? nameLength + HDF5Decoder.paddingAfter(nameLength) : nameLength)
                let text = field.prefix(nameLength).prefix { $0 != 0 }
                if let decoded = String(validating: text, as: UTF8.self), !decoded.isEmpty { name = decoded }
            }
            var values: [UInt32] = []
            for _ in 0..<valueCount { values.append(try reader.u32()) }
            if version == 1 && valueCount % 2 == 1 { try reader.skip(4) }
            filters.append(HDF5Filter(id: id, name: name, isOptional: flags & HDF5Decoder.filterOptional != 0, clientData: values))
        }
        return filters
    }

    /// Format spec IV.A.2.e: Fill Value message, versions 1 to 3; nil for "default" (zeros).
    func fillValue(_ message: HDF5Message, elementSize: Int) throws(HDF5Error) -> [UInt8]? {
        var reader = cursor(over: message.body, address: message.address, code: HDF5Error.Code.fillValueInvalid, what: "fill value message")
        let version = try reader.u8()
        let defined: Bool
        switch version {
        case 1, 2:
            let allocationTime = try reader.u8()
            let writeTime = try reader.u8()
            guard allocationTime <= 3, writeTime <= 2 else {
                throw reader.error("allocation time \(allocationTime) or write time \(writeTime) out of range")
            }
            defined = try reader.u8() != 0
        case 3:
            let flags = try reader.u8()
            guard flags & 0xC0 == 0, (flags >> 2) & 0x03 <= 2 else { throw reader.error("flags 0x\(String(flags, radix: 16))") }
            guard flags & 0x30 != 0x30 else { throw reader.error("fill value both undefined and defined") }
            defined = flags & 0x20 != 0
        default:
            throw reader.error(HDF5Error.Code.messageVersionUnsupported, "fill value version \(version); the reader implements 1 to 3")
        }
        guard defined else { return nil }
        let size = Int(Int32(bitPattern: try reader.u32()))
        guard size > 0 else { return nil }
        guard size == elementSize else { throw reader.error("fill value of \(size) bytes for \(elementSize)-byte elements") }
        return try reader.bytes(size)
    }

    /// Format spec IV.A.2.h: the deprecated Fill Value message (type 0x04).
    func oldFillValue(_ message: HDF5Message, elementSize: Int) throws(HDF5Error) -> [UInt8]? {
        var reader = cursor(over: message.body, address: message.address, code: HDF5Error.Code.fillValueInvalid, what: "old fill value message")
        let size = Int(try reader.u32())
        guard size > 0 else { return nil }
        guard size == elementSize else { throw reader.error("fill value of \(size) bytes for \(elementSize)-byte elements") }
        return try reader.bytes(size)
    }

    /// Format spec IV.A.2.h: External Data Files message; names come from its local heap.
    func externalFiles(_ message: HDF5Message) throws(HDF5Error) -> [HDF5ExternalFile] {
        var reader = cursor(over: message.body, address: message.address, code: HDF5Error.Code.externalFileListInvalid,
            what: "external file list message")
        let version = try reader.u8()
        guard version == 1 else { throw reader.error(HDF5Error.Code.messageVersionUnsupported, "external file list version \(version)") }
        try reader.skip(3)
        let allocated = Int(try reader.u16())
        let used = Int(try reader.u16())
        guard used <= allocated, used > 0 else { throw reader.error("\(used) used of \(allocated) allocated slots") }
        let heap = try localHeap(at: try reader.address())
        var files: [HDF5ExternalFile] = []
        for _ in 0..<used {
            let nameOffset = try reader.rawLength()
            let offset = try reader.rawLength()
            let size = try reader.rawLength()
            let name = try heap.string(at: nameOffset, maxLength: limits.maxNameLength)
            guard let text = String(validating: name, as: UTF8.self), !text.isEmpty else {
                throw reader.error("an external file name is empty or not UTF-8")
            }
            files.append(HDF5ExternalFile(name: text, offset: offset,
                size: size == HDF5Geometry.allOnes(width: lengthSize) ? UInt64.max : size))
        }
        return files
    }
}
