import KerasBytes

extension HDF5Decoder {
    private static let attributeDatatypeShared: UInt8 = 0x01
    private static let attributeDataspaceShared: UInt8 = 0x02
    private static let attributeRecordSize = 17
    private static let attributeHeapIDSize = 8
    private static let attributeRecordShared: UInt8 = 0x01

    /// The attributes of an object (compact messages and dense storage), in h5py's iteration order.
    func attributes(of header: HDF5ObjectHeader) throws(HDF5Error) -> [HDF5Attribute] {
        var found: [(name: [UInt8], order: Int64, attribute: HDF5Attribute)] = []
        var tracksOrder = header.tracksAttributeCreationOrder
        for message in header.messages(HDF5Message.attribute) {
            let attribute = try attributeMessage(message.body, at: message.address, isShared: message.isShared)
            found.append((Array(attribute.name.utf8), Int64(message.creationOrder ?? 0), attribute))
        }
        let infos = header.messages(HDF5Message.attributeInfo)
        guard infos.count <= 1 else {
            throw HDF5Error(HDF5Error.Code.duplicateMessage, "two attribute info messages", address: infos[1].address)
        }
        if let message = infos.first {
            let info = try linkInfo(message, attributes: true)
            tracksOrder = tracksOrder || info.tracksCreationOrder
            if let heapAddress = info.heapAddress {
                let heap = try fractalHeap(at: heapAddress)
                let records = try v2BTreeRecords(at: info.nameIndexAddress, expectedType: HDF5Decoder.attributeNameRecordType,
                    recordSize: HDF5Decoder.attributeRecordSize)
                guard heap.heapIDLength == HDF5Decoder.attributeHeapIDSize else {
                    throw HDF5Error(HDF5Error.Code.fractalHeapInvalid,
                        "attribute heap IDs are \(heap.heapIDLength) bytes, not 8", address: heapAddress)
                }
                var previousHash: UInt32 = 0
                for (record, at) in records {
                    try spend(at: at)
                    let id = record.slice(offset: 0, length: HDF5Decoder.attributeHeapIDSize)!
                    let flags = record[HDF5Decoder.attributeHeapIDSize]
                    let order = record.loadLittleEndian(UInt32.self, at: HDF5Decoder.attributeHeapIDSize + 1)!
                    let hash = record.loadLittleEndian(UInt32.self, at: HDF5Decoder.attributeHeapIDSize + 5)!
                    guard flags & HDF5Decoder.attributeRecordShared == 0 else {
                        throw HDF5Error(HDF5Error.Code.sharedMessageUnsupported, "a dense attribute is stored in the shared message heap", address: at)
                    }
                    guard hash >= previousHash else {
                        throw HDF5Error(HDF5Error.Code.bTreeKeyOrder, "attribute name index records are not in hash order", address: at)
                    }
                    previousHash = hash
                    let body = try heapObject(id, in: heap, at: at)
                    let attribute = try attributeMessage(body, at: at, isShared: false)
                    let name = Array(attribute.name.utf8)
                    guard Lookup3.hash(name) == hash else {
                        throw HDF5Error(HDF5Error.Code.bTreeKeyOrder,
                            "attribute \(HDF5Cursor.printable(name)) is indexed under hash 0x\(String(hash, radix: 16)), not its own", address: at)
                    }
                    found.append((name, Int64(order), attribute))
                }
            }
        }
        guard found.count <= limits.maxAttributesPerObject else {
            throw HDF5Error(HDF5Error.Code.attributeCountLimitExceeded,
                "\(found.count) attributes exceed maxAttributesPerObject (\(limits.maxAttributesPerObject))", address: header.address)
        }
        found.sort { $0.name.lexicographicallyPrecedes($1.name) }
        for index in found.indices.dropFirst() where found[index].name == found[index - 1].name {
            throw HDF5Error(HDF5Error.Code.duplicateAttributeName,
                "two attributes are named \(HDF5Cursor.printable(found[index].name))", address: header.address)
        }
        if tracksOrder {
            found.sort { $0.order != $1.order ? $0.order < $1.order : $0.name.lexicographicallyPrecedes($1.name) }
        }
        return found.map(\.attribute)
    }

    /// Format spec IV.A.2.m: Attribute message, versions 1 to 3.
    func attributeMessage(_ body: ByteView, at address: UInt64, isShared: Bool) throws(HDF5Error) -> HDF5Attribute {
        if isShared {
            throw HDF5Error(HDF5Error.Code.sharedMessageUnsupported, "a shared attribute message", address: address)
        }
        var reader = cursor(over: body, address: address, code: HDF5Error.Code.attributeInvalid, what: "attribute message")
        let version = try reader.u8()
        guard (1...3).contains(version) else {
            throw reader.error(HDF5Error.Code.attributeVersionUnsupported, "version \(version); the reader implements 1 to 3")
        }
        let flags = try reader.u8()
        if version == 1 {
            guard flags == 0 else { throw reader.error("reserved byte is \(flags)") }
        } else {
            guard flags & ~(HDF5Decoder.attributeDatatypeShared | HDF5Decoder.attributeDataspaceShared) == 0 else {
                throw reader.error("flags 0x\(String(flags, radix: 16)) set reserved bits")
            }
        }
        let nameSize = Int(try reader.u16())
        let datatypeSize = Int(try reader.u16())
        let dataspaceSize = Int(try reader.u16())
        if version == 3 {
            let encoding = try reader.u8()
            guard encoding <= 1 else { throw reader.error("name character set \(encoding)") }
        }
        func padded(_ size: Int) -> Int { version == 1 ? size + HDF5Decoder.paddingAfter(size) : size }

        guard nameSize >= 1 else { throw reader.error("name size 0 leaves no room for the NUL terminator") }
        guard nameSize - 1 <= limits.maxNameLength else {
            throw reader.error(HDF5Error.Code.stringLengthLimitExceeded, "attribute name of \(nameSize - 1) bytes exceeds maxNameLength")
        }
        let nameAddress = reader.fileAddress
        let nameField = try reader.bytes(padded(nameSize))
        let name = Array(nameField.prefix(nameSize - 1))
        guard nameField[nameSize - 1] == 0 else { throw reader.error("the name is not NUL-terminated") }
        try HDF5Decoder.checkLinkName(name, at: nameAddress, isAttribute: true)
        let nameText = String(decoding: name, as: UTF8.self)

        let datatypeAddress = reader.fileAddress
        let datatypeField = try reader.view(padded(datatypeSize)).slice(offset: 0, length: datatypeSize)!
        let dataspaceAddress = reader.fileAddress
        let dataspaceField = try reader.view(padded(dataspaceSize)).slice(offset: 0, length: dataspaceSize)!

        var datatypeBody = (datatypeField, datatypeAddress)
        if flags & HDF5Decoder.attributeDatatypeShared != 0 {
            datatypeBody = try sharedTarget(datatypeField, at: datatypeAddress, type: HDF5Message.datatype)
        }
        var datatypeReader = cursor(over: datatypeBody.0, address: datatypeBody.1, code: HDF5Error.Code.datatypeInvalid, what: "attribute datatype")
        let datatype = try self.datatype(&datatypeReader)

        var dataspaceBody = (dataspaceField, dataspaceAddress)
        if flags & HDF5Decoder.attributeDataspaceShared != 0 {
            dataspaceBody = try sharedTarget(dataspaceField, at: dataspaceAddress, type: HDF5Message.dataspace)
        }
        var dataspaceReader = cursor(over: dataspaceBody.0, address: dataspaceBody.1, code: HDF5Error.Code.dataspaceInvalid, what: "attribute dataspace")
        let space = try dataspace(&dataspaceReader)

        guard let dataSize = Checked.multiply(space.elementCount, datatype.size) else {
            throw reader.error("the value size of \(space.elementCount) elements overflows")
        }
        try spendAttributeBytes(dataSize, at: address)
        guard dataSize <= reader.remaining else {
            throw reader.error("value of \(dataSize) bytes but only \(reader.remaining) remain in the message")
        }
        let dataAddress = reader.fileAddress
        let data = try reader.view(dataSize)
        let value = space.kind == .null ? .raw([]) : try attributeValue(datatype, count: space.elementCount, data: data, at: dataAddress)
        return HDF5Attribute(name: nameText, datatype: datatype, dataspaceKind: space.kind, shape: space.shape, value: value)
    }

    /// Decodes attribute elements by class; variable-length strings come from the global heap.
    func attributeValue(_ datatype: HDF5Datatype, count: Int, data: ByteView, at address: UInt64) throws(HDF5Error) -> HDF5AttributeValue {
        let size = datatype.size
        func element(_ index: Int) -> ByteView { data.slice(offset: index * size, length: size)! }
        switch datatype {
        case .string(nil, _, _):
            var strings: [[UInt8]] = []
            var total = 0
            for index in 0..<count {
                let bytes = try variableLengthBytes(element(index), elementSize: 1, at: address &+ UInt64(index * size))
                total += bytes.count
                try spendAttributeBytes(total, at: address)
                strings.append(Array(bytes.prefix { $0 != 0 }))
            }
            return HDF5Decoder.strings(strings)
        case .string(_?, _, _):
            var strings: [[UInt8]] = []
            for index in 0..<count {
                var bytes = element(index).bytes
                while bytes.last == 0 { bytes.removeLast() }
                strings.append(bytes)
            }
            return HDF5Decoder.strings(strings)
        case let .fixedPoint(elementSize, signed, bigEndian), let .enumeration(.fixedPoint(elementSize, signed, bigEndian), _):
            guard [1, 2, 4, 8].contains(elementSize) else { return .raw(data.bytes) }
            var values: [Int64] = []
            values.reserveCapacity(count)
            for index in 0..<count {
                values.append(HDF5Decoder.integer(element(index).bytes, signed: signed, bigEndian: bigEndian))
            }
            return signed ? .integers(values) : .unsignedIntegers(values.map { UInt64(bitPattern: $0) })
        case let .floatingPoint(elementSize, bigEndian, bits) where bits.isIEEE(size: elementSize):
            var values: [Double] = []
            values.reserveCapacity(count)
            for index in 0..<count {
                let raw = UInt64(bitPattern: HDF5Decoder.integer(element(index).bytes, signed: false, bigEndian: bigEndian))
                values.append(HDF5Decoder.ieeeDouble(raw, size: elementSize))
            }
            return .floats(values)
        default:
            return .raw(data.bytes)
        }
    }

    private static func strings(_ values: [[UInt8]]) -> HDF5AttributeValue {
        var decoded: [String] = []
        decoded.reserveCapacity(values.count)
        for value in values {
            guard let text = String(validating: value, as: UTF8.self) else { return .byteStrings(values) }
            decoded.append(text)
        }
        return .strings(decoded)
    }

    /// The value of IEEE binary16/32/64 bits.
    static func ieeeDouble(_ raw: UInt64, size: Int) -> Double {
        switch size {
        case 8: return Double(bitPattern: raw)
        case 4: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
        default:
            let sign: Double = raw & 0x8000 != 0 ? -1 : 1
            let exponent = Int((raw >> 10) & 0x1F)
            let mantissa = Double(raw & 0x3FF)
            switch exponent {
            case 0: return sign * mantissa * 0x1p-24
            case 0x1F: return mantissa == 0 ? sign * .infinity : .nan
            default: return sign * (1 + mantissa / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
            }
        }
    }
}
