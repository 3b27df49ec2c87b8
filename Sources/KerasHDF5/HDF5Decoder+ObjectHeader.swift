import KerasBytes

extension HDF5Decoder {
    private static let ohdrSignature: [UInt8] = Array("OHDR".utf8)
    private static let ochkSignature: [UInt8] = Array("OCHK".utf8)
    private static let version1PrefixSize = 16
    private static let version1MessageHeaderSize = 8
    private static let version1Alignment = 8
    private static let checksumSize = 4
    private static let knownVersion2Flags: UInt8 = 0x3F
    private static let version2ChunkSizeWidthMask: UInt8 = 0x03
    private static let version2TracksCreationOrder: UInt8 = 0x04
    private static let version2IndexesCreationOrder: UInt8 = 0x08
    private static let version2StoresPhaseChange: UInt8 = 0x10
    private static let version2StoresTimes: UInt8 = 0x20

    /// The object header at `address`, parsed once and charged against the budget on every use.
    func objectHeader(at address: UInt64) throws(HDF5Error) -> HDF5ObjectHeader {
        if let cached = objectHeaders[address] {
            try spend(cached.messages.count + 1, at: address)
            return cached
        }
        let header = try parseObjectHeader(at: address)
        objectHeaders[address] = header
        return header
    }

    /// Format spec IV.A.1.a/b: version 1 and version 2 object header prefixes, then every chunk.
    private func parseObjectHeader(at address: UInt64) throws(HDF5Error) -> HDF5ObjectHeader {
        try spend(at: address)
        let bytes = try tail(at: address, what: "object header")
        if bytes.starts(with: HDF5Decoder.ohdrSignature) {
            return try parseVersion2Header(bytes, at: address)
        }
        guard bytes.first == 1 else {
            let shown = bytes.slice(offset: 0, length: min(4, bytes.count))?.bytes ?? []
            throw HDF5Error(HDF5Error.Code.objectHeaderSignatureInvalid,
                "object header is neither version 1 nor starts with \"OHDR\" (first bytes \(HDF5Cursor.printable(shown)))",
                address: address)
        }
        return try parseVersion1Header(bytes, at: address)
    }

    /// Format spec IV.A.1.a: version 1 object header.
    private func parseVersion1Header(_ bytes: ByteView, at address: UInt64) throws(HDF5Error) -> HDF5ObjectHeader {
        var prefix = cursor(over: bytes, address: address, code: HDF5Error.Code.structureTruncated, what: "object header")
        _ = try prefix.u8()
        _ = try prefix.u8()
        let declaredMessages = Int(try prefix.u16())
        _ = try prefix.u32()
        let headerSize = Int(try prefix.u32())
        try prefix.skip(HDF5Decoder.version1PrefixSize - prefix.offset)
        let firstChunk = try view(at: prefix.fileAddress, length: headerSize, what: "object header chunk 0")

        var messages: [HDF5Message] = []
        var found = 0
        var pending: [(ByteView, UInt64)] = [(firstChunk, prefix.fileAddress)]
        var visited: Set<UInt64> = [prefix.fileAddress]
        while !pending.isEmpty {
            let (chunk, chunkAddress) = pending.removeFirst()
            var reader = cursor(over: chunk, address: chunkAddress, code: HDF5Error.Code.objectHeaderInvalid, what: "object header")
            while reader.remaining > 0 {
                guard reader.remaining >= HDF5Decoder.version1MessageHeaderSize else {
                    throw reader.error("\(reader.remaining) bytes at the end of a chunk are too few for a message header")
                }
                let type = try reader.u16()
                let size = Int(try reader.u16())
                let flags = try reader.u8()
                try reader.skip(3)
                guard size % HDF5Decoder.version1Alignment == 0 else {
                    throw reader.error("message 0x\(String(type, radix: 16)) has size \(size), not a multiple of 8")
                }
                guard size <= reader.remaining else {
                    throw reader.error("message 0x\(String(type, radix: 16)) of \(size) bytes overruns its chunk (\(reader.remaining) left)")
                }
                let bodyAddress = reader.fileAddress
                let body = try reader.view(size)
                found += 1
                try spend(at: bodyAddress)
                if let next = try accept(type: type, flags: flags, body: body, at: bodyAddress, into: &messages, order: nil) {
                    guard visited.insert(next.address).inserted else {
                        throw HDF5Error(HDF5Error.Code.cycle,
                            "continuation block at \(HDF5Decoder.hex(next.address)) is reached twice", address: bodyAddress)
                    }
                    let chunk = try view(at: next.address, length: next.length, what: "object header continuation block")
                    pending.append((chunk, next.address))
                }
            }
        }
        guard found == declaredMessages else {
            throw HDF5Error(HDF5Error.Code.objectHeaderInvalid,
                "object header declares \(declaredMessages) messages but its chunks hold \(found)", address: address)
        }
        return HDF5ObjectHeader(address: address, version: 1, tracksAttributeCreationOrder: false, messages: messages)
    }

    /// Format spec IV.A.1.b: version 2 object header ("OHDR") and continuation blocks ("OCHK").
    private func parseVersion2Header(_ bytes: ByteView, at address: UInt64) throws(HDF5Error) -> HDF5ObjectHeader {
        var prefix = cursor(over: bytes, address: address, code: HDF5Error.Code.structureTruncated, what: "object header")
        try prefix.skip(HDF5Decoder.ohdrSignature.count)
        let version = try prefix.u8()
        guard version == 2 else {
            throw HDF5Error(HDF5Error.Code.objectHeaderVersionUnsupported,
                "OHDR object header has version \(version); only 2 is defined", address: address)
        }
        let flags = try prefix.u8()
        guard flags & ~HDF5Decoder.knownVersion2Flags == 0 else {
            throw HDF5Error(HDF5Error.Code.objectHeaderInvalid, "object header flags 0x\(String(flags, radix: 16)) set reserved bits", address: address)
        }
        if flags & HDF5Decoder.version2IndexesCreationOrder != 0 && flags & HDF5Decoder.version2TracksCreationOrder == 0 {
            throw HDF5Error(HDF5Error.Code.objectHeaderInvalid, "object header indexes attribute creation order without tracking it", address: address)
        }
        if flags & HDF5Decoder.version2StoresTimes != 0 { try prefix.skip(16) }
        if flags & HDF5Decoder.version2StoresPhaseChange != 0 {
            let maxCompact = try prefix.u16()
            let minDense = try prefix.u16()
            guard minDense <= maxCompact &+ 1 else {
                throw HDF5Error(HDF5Error.Code.objectHeaderInvalid,
                    "attribute phase change values max compact \(maxCompact) < min dense \(minDense) - 1", address: address)
            }
        }
        let sizeWidth = 1 << Int(flags & HDF5Decoder.version2ChunkSizeWidthMask)
        let chunkSize = try prefix.int(width: sizeWidth)
        let prefixSize = prefix.offset
        guard let covered = Checked.add(prefixSize, chunkSize), let total = Checked.add(covered, HDF5Decoder.checksumSize) else {
            throw HDF5Error(HDF5Error.Code.objectHeaderInvalid, "object header chunk size \(chunkSize) overflows", address: address)
        }
        let whole = try view(at: address, length: total, what: "object header")
        try verifyChecksum(whole, count: covered, address: address, what: "object header")
        let tracksOrder = flags & HDF5Decoder.version2TracksCreationOrder != 0
        let headerSize = tracksOrder ? 6 : 4

        var messages: [HDF5Message] = []
        let firstAddress = address &+ UInt64(prefixSize)
        var pending: [(ByteView, UInt64)] = [(whole.slice(offset: prefixSize, length: chunkSize)!, firstAddress)]
        var visited: Set<UInt64> = [address]
        while !pending.isEmpty {
            let (chunk, chunkAddress) = pending.removeFirst()
            var reader = cursor(over: chunk, address: chunkAddress, code: HDF5Error.Code.objectHeaderInvalid, what: "object header")
            while reader.remaining >= headerSize {
                let type = UInt16(try reader.u8())
                let size = Int(try reader.u16())
                let flags = try reader.u8()
                let order = tracksOrder ? try reader.u16() : nil
                guard size <= reader.remaining else {
                    throw reader.error("message 0x\(String(type, radix: 16)) of \(size) bytes overruns its chunk (\(reader.remaining) left)")
                }
                let bodyAddress = reader.fileAddress
                let body = try reader.view(size)
                try spend(at: bodyAddress)
                if let next = try accept(type: type, flags: flags, body: body, at: bodyAddress, into: &messages, order: order) {
                    guard visited.insert(next.address).inserted else {
                        throw HDF5Error(HDF5Error.Code.cycle,
                            "continuation block at \(HDF5Decoder.hex(next.address)) is reached twice", address: bodyAddress)
                    }
                    guard next.length >= HDF5Decoder.ochkSignature.count + HDF5Decoder.checksumSize else {
                        throw HDF5Error(HDF5Error.Code.objectHeaderInvalid,
                            "continuation block of \(next.length) bytes cannot hold a signature and a checksum", address: bodyAddress)
                    }
                    let block = try view(at: next.address, length: next.length, what: "object header continuation block")
                    guard block.starts(with: HDF5Decoder.ochkSignature) else {
                        throw HDF5Error(HDF5Error.Code.objectHeaderSignatureInvalid,
                            "continuation block lacks its \"OCHK\" signature", address: next.address)
                    }
                    let body = next.length - HDF5Decoder.checksumSize
                    try verifyChecksum(block, count: body, address: next.address, what: "object header continuation block")
                    let messagesStart = HDF5Decoder.ochkSignature.count
                    pending.append((block.slice(offset: messagesStart, length: body - messagesStart)!,
                        next.address &+ UInt64(messagesStart)))
                }
            }
        }
        return HDF5ObjectHeader(address: address, version: 2, tracksAttributeCreationOrder: tracksOrder, messages: messages)
    }

    /// Format spec IV.A.1: common message handling. Returns the block a continuation message points at.
    private func accept(
        type: UInt16, flags: UInt8, body: ByteView, at address: UInt64, into messages: inout [HDF5Message], order: UInt16?
    ) throws(HDF5Error) -> (address: UInt64, length: Int)? {
        if flags & HDF5Message.sharedFlag != 0 && flags & HDF5Message.dontShareFlag != 0 {
            throw HDF5Error(HDF5Error.Code.objectHeaderInvalid,
                "message 0x\(String(type, radix: 16)) is flagged both shared and not shareable", address: address)
        }
        switch type {
        case HDF5Message.nilType:
            return nil
        case HDF5Message.continuation:
            var reader = cursor(over: body, address: address, code: HDF5Error.Code.messageInvalid, what: "continuation message")
            let target = try reader.address()
            let length = try reader.length()
            guard let target, length > 0 else {
                throw reader.error("points at an undefined address or an empty block")
            }
            return (target, length)
        case let known where known <= HDF5Message.lastKnownType && known != HDF5Message.bogus:
            messages.append(HDF5Message(type: type, flags: flags, body: body, address: address, creationOrder: order))
            return nil
        default:
            if flags & HDF5Message.failIfUnknownFlag != 0 {
                throw HDF5Error(HDF5Error.Code.unknownRequiredMessage,
                    "message type 0x\(String(type, radix: 16)) is unknown and flagged fail-if-unknown", address: address)
            }
            return nil
        }
    }
}
