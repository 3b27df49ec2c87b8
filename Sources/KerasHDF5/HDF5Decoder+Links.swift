import KerasBytes

extension HDF5Decoder {
    private static let linkFlagNameLengthWidth: UInt8 = 0x03
    private static let linkFlagCreationOrder: UInt8 = 0x04
    private static let linkFlagType: UInt8 = 0x08
    private static let linkFlagCharset: UInt8 = 0x10
    private static let knownLinkFlags: UInt8 = 0x1F
    private static let linkTypeHard: UInt8 = 0
    private static let linkTypeSoft: UInt8 = 1
    private static let firstUserDefinedLinkType: UInt8 = 64
    private static let linkTypeExternal: UInt8 = 64
    private static let infoTracksOrder: UInt8 = 0x01
    private static let infoIndexesOrder: UInt8 = 0x02
    private static let linkNameRecordHashSize = 4
    private static let groupInfoStoresPhaseChange: UInt8 = 0x01
    private static let groupInfoStoresEstimates: UInt8 = 0x02
    private static let dot: UInt8 = 0x2E
    private static let slash: UInt8 = 0x2F

    /// Checks a link or attribute name: not empty, not `.`, no `/` (links only), UTF-8.
    static func checkLinkName(_ name: [UInt8], at address: UInt64?, isAttribute: Bool = false) throws(HDF5Error) {
        let what = isAttribute ? "attribute name" : "link name"
        guard !name.isEmpty else { throw HDF5Error(HDF5Error.Code.linkNameInvalid, "an empty \(what)", address: address) }
        guard String(validating: name, as: UTF8.self) != nil, !name.contains(0) else {
            throw HDF5Error(HDF5Error.Code.linkNameInvalid, "\(what) \(HDF5Cursor.printable(name)) is not UTF-8 without NUL", address: address)
        }
        if !isAttribute {
            guard name != [HDF5Decoder.dot], !name.contains(HDF5Decoder.slash) else {
                throw HDF5Error(HDF5Error.Code.linkNameInvalid, "\(what) \(HDF5Cursor.printable(name)) is '.' or contains '/'", address: address)
            }
        }
    }

    /// A path or file name stored in a link, as a String.
    private static func linkString(_ bytes: [UInt8], _ reader: HDF5Cursor, what: String) throws(HDF5Error) -> String {
        guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else {
            throw reader.error(HDF5Error.Code.stringEncodingInvalid, "\(what) \(HDF5Cursor.printable(bytes)) is not UTF-8 without NUL")
        }
        return text
    }

    /// Format spec IV.A.2.g: Link message.
    func linkMessage(_ body: ByteView, at address: UInt64) throws(HDF5Error) -> HDF5RawLink {
        var reader = cursor(over: body, address: address, code: HDF5Error.Code.linkInvalid, what: "link message")
        let version = try reader.u8()
        guard version == 1 else { throw reader.error(HDF5Error.Code.messageVersionUnsupported, "link message version \(version); only 1 is defined") }
        let flags = try reader.u8()
        guard flags & ~HDF5Decoder.knownLinkFlags == 0 else { throw reader.error("flags 0x\(String(flags, radix: 16)) set reserved bits") }
        let type = flags & HDF5Decoder.linkFlagType != 0 ? try reader.u8() : HDF5Decoder.linkTypeHard
        let order = flags & HDF5Decoder.linkFlagCreationOrder != 0 ? Int64(bitPattern: try reader.u64()) : nil
        if flags & HDF5Decoder.linkFlagCharset != 0 {
            let charset = try reader.u8()
            guard charset <= 1 else { throw reader.error("link name character set \(charset)") }
        }
        let nameLength = try reader.int(width: 1 << Int(flags & HDF5Decoder.linkFlagNameLengthWidth))
        guard nameLength <= limits.maxNameLength else {
            throw reader.error(HDF5Error.Code.stringLengthLimitExceeded, "link name of \(nameLength) bytes exceeds maxNameLength")
        }
        let name = try reader.bytes(nameLength)
        try HDF5Decoder.checkLinkName(name, at: address)
        switch type {
        case HDF5Decoder.linkTypeHard:
            guard let target = try reader.address() else { throw reader.error("hard link to the undefined address") }
            return HDF5RawLink(name: name, target: .hard(target), creationOrder: order)
        case HDF5Decoder.linkTypeSoft:
            let length = Int(try reader.u16())
            let path = try HDF5Decoder.linkString(try reader.bytes(length), reader, what: "soft link value")
            return HDF5RawLink(name: name, target: .soft(path), creationOrder: order)
        case HDF5Decoder.linkTypeExternal:
            let length = Int(try reader.u16())
            var value = cursor(over: try reader.view(length), address: reader.fileAddress, code: HDF5Error.Code.linkInvalid,
                what: "external link value")
            let versionAndFlags = try value.u8()
            guard versionAndFlags == 0 else { throw value.error("external link version/flags byte 0x\(String(versionAndFlags, radix: 16))") }
            let file = try HDF5Decoder.linkString(try value.cString(maxLength: limits.maxStringLength), value, what: "external file name")
            let path = try HDF5Decoder.linkString(try value.cString(maxLength: limits.maxStringLength), value, what: "external object path")
            guard value.isAtEnd else { throw value.error("\(value.remaining) bytes follow the external object path") }
            return HDF5RawLink(name: name, target: .external(file: file, path: path), creationOrder: order)
        case let other where other > HDF5Decoder.firstUserDefinedLinkType:
            throw reader.error(HDF5Error.Code.linkTypeUnsupported, "user-defined link type \(other)")
        case let other:
            throw reader.error("link type \(other) is reserved")
        }
    }

    /// Format spec IV.A.2.c (link info) and IV.A.2.v (attribute info): both share one shape.
    func linkInfo(_ message: HDF5Message, attributes: Bool) throws(HDF5Error) -> HDF5LinkInfo {
        let code = attributes ? HDF5Error.Code.attributeInvalid : HDF5Error.Code.linkInvalid
        var reader = cursor(over: message.body, address: message.address, code: code,
            what: attributes ? "attribute info message" : "link info message")
        let version = try reader.u8()
        guard version == 0 else { throw reader.error(HDF5Error.Code.messageVersionUnsupported, "version \(version); only 0 is defined") }
        let flags = try reader.u8()
        guard flags & ~(HDF5Decoder.infoTracksOrder | HDF5Decoder.infoIndexesOrder) == 0 else {
            throw reader.error("flags 0x\(String(flags, radix: 16)) set reserved bits")
        }
        if flags & HDF5Decoder.infoTracksOrder != 0 {
            if attributes { _ = try reader.u16() } else { _ = try reader.u64() }
        }
        let heap = try reader.address()
        let nameIndex = try reader.address()
        if flags & HDF5Decoder.infoIndexesOrder != 0 { _ = try reader.rawAddress() }
        guard (heap == nil) == (nameIndex == nil) else {
            throw reader.error("dense storage needs both a fractal heap and a name index")
        }
        return HDF5LinkInfo(tracksCreationOrder: flags & HDF5Decoder.infoTracksOrder != 0, heapAddress: heap, nameIndexAddress: nameIndex)
    }

    /// Format spec IV.A.2.f: Group info message (checked, otherwise unused).
    func checkGroupInfo(_ message: HDF5Message) throws(HDF5Error) {
        var reader = cursor(over: message.body, address: message.address, code: HDF5Error.Code.linkInvalid, what: "group info message")
        let version = try reader.u8()
        guard version == 0 else { throw reader.error(HDF5Error.Code.messageVersionUnsupported, "version \(version); only 0 is defined") }
        let flags = try reader.u8()
        let known = HDF5Decoder.groupInfoStoresPhaseChange | HDF5Decoder.groupInfoStoresEstimates
        guard flags & ~known == 0 else { throw reader.error("flags 0x\(String(flags, radix: 16)) set reserved bits") }
        if flags & HDF5Decoder.groupInfoStoresPhaseChange != 0 {
            let maxCompact = try reader.u16()
            let minDense = try reader.u16()
            guard minDense <= maxCompact else { throw reader.error("min dense \(minDense) above max compact \(maxCompact)") }
        }
        if flags & HDF5Decoder.groupInfoStoresEstimates != 0 { try reader.skip(4) }
    }

    /// Format spec IV.A.2.c: the links of a new-style group, compact (link messages) or dense
    /// (fractal heap + version 2 B-tree of type 5).
    func newStyleLinks(_ header: HDF5ObjectHeader, info: HDF5LinkInfo) throws(HDF5Error) -> [HDF5RawLink] {
        let messages = header.messages(HDF5Message.link)
        guard let heapAddress = info.heapAddress else {
            var links: [HDF5RawLink] = []
            for message in messages { links.append(try linkMessage(message.body, at: message.address)) }
            return links
        }
        guard messages.isEmpty else {
            throw HDF5Error(HDF5Error.Code.linkInvalid, "a group stores links both as messages and in dense storage", address: header.address)
        }
        let heap = try fractalHeap(at: heapAddress)
        let records = try v2BTreeRecords(at: info.nameIndexAddress, expectedType: HDF5Decoder.linkNameRecordType,
            recordSize: HDF5Decoder.linkNameRecordHashSize + heap.heapIDLength)
        var links: [HDF5RawLink] = []
        var previousHash: UInt32 = 0
        for (record, at) in records {
            try spend(at: at)
            let hash = record.loadLittleEndian(UInt32.self, at: 0)!
            guard hash >= previousHash else {
                throw HDF5Error(HDF5Error.Code.bTreeKeyOrder, "link name index records are not in hash order", address: at)
            }
            previousHash = hash
            let id = record.slice(offset: HDF5Decoder.linkNameRecordHashSize, length: heap.heapIDLength)!
            let object = try heapObject(id, in: heap, at: at &+ UInt64(HDF5Decoder.linkNameRecordHashSize))
            let link = try linkMessage(object, at: at)
            guard Lookup3.hash(link.name) == hash else {
                throw HDF5Error(HDF5Error.Code.bTreeKeyOrder,
                    "link \(HDF5Cursor.printable(link.name)) is indexed under hash 0x\(String(hash, radix: 16)), not its own", address: at)
            }
            links.append(link)
        }
        return links
    }

    /// Orders links as h5py iterates them and rejects duplicate names.
    func ordered(_ links: [HDF5RawLink], byCreationOrder: Bool, at address: UInt64) throws(HDF5Error) -> [HDF5RawLink] {
        let byName = links.sorted { $0.name.lexicographicallyPrecedes($1.name) }
        for index in byName.indices.dropFirst() where byName[index].name == byName[index - 1].name {
            throw HDF5Error(HDF5Error.Code.duplicateLinkName, "two links are named \(HDF5Cursor.printable(byName[index].name))",
                address: address)
        }
        guard byCreationOrder else { return byName }
        return byName.sorted { lhs, rhs in
            let (left, right) = (lhs.creationOrder ?? 0, rhs.creationOrder ?? 0)
            return left != right ? left < right : lhs.name.lexicographicallyPrecedes(rhs.name)
        }
    }
}
