import KerasBytes

extension HDF5Decoder {
    private static let classFixedPoint: UInt8 = 0
    private static let classFloatingPoint: UInt8 = 1
    private static let classTime: UInt8 = 2
    private static let classString: UInt8 = 3
    private static let classBitfield: UInt8 = 4
    private static let classOpaque: UInt8 = 5
    private static let classCompound: UInt8 = 6
    private static let classReference: UInt8 = 7
    private static let classEnumeration: UInt8 = 8
    private static let classVariableLength: UInt8 = 9
    private static let classArray: UInt8 = 10
    private static let classComplex: UInt8 = 11
    private static let highestDatatypeVersion: UInt8 = 5
    private static let maxArrayRank = 32
    private static let version1CompoundDimensions = 4
    private static let namePadding = 8
    private static let byteOrderBit: UInt32 = 0x01
    private static let fixedPointPaddingBits: UInt32 = 0x06
    private static let fixedPointSignedBit: UInt32 = 0x08
    private static let opaqueTagLengthMask: UInt32 = 0xFF
    private static let memberCountMask: UInt32 = 0xFFFF
    private static let subtypeMask: UInt32 = 0x0F

    /// Decodes a datatype message body (or an embedded datatype) from `reader`.
    func datatype(_ reader: inout HDF5Cursor, depth: Int = 0) throws(HDF5Error) -> HDF5Datatype {
        guard depth < limits.maxDatatypeDepth else {
            throw reader.error(HDF5Error.Code.datatypeDepthLimitExceeded, "datatypes nest deeper than \(limits.maxDatatypeDepth) (maxDatatypeDepth)")
        }
        // Format spec IV.A.2.d: class and version, class bit field, size, properties.
        let classAndVersion = try reader.u8()
        let typeClass = classAndVersion & 0x0F
        let version = classAndVersion >> 4
        let bits = UInt32(try reader.u8()) | UInt32(try reader.u8()) << 8 | UInt32(try reader.u8()) << 16
        let size = Int(try reader.u32())
        guard version >= 1, version <= HDF5Decoder.highestDatatypeVersion else {
            throw reader.error(HDF5Error.Code.datatypeVersionUnsupported, "datatype version \(version); the reader implements 1 to 5")
        }
        func invalid(_ reason: String) -> HDF5Error { reader.error(HDF5Error.Code.datatypeInvalid, reason) }
        func unsupported(_ reason: String) -> HDF5Error { reader.error(HDF5Error.Code.datatypeUnsupported, reason) }
        let bigEndian = bits & HDF5Decoder.byteOrderBit != 0

        switch typeClass {
        case HDF5Decoder.classFixedPoint:
            let bitOffset = Int(try reader.u16())
            let precision = Int(try reader.u16())
            guard size > 0, bitOffset + precision <= size * 8, precision > 0 else {
                throw invalid("integer of \(size) bytes with bit offset \(bitOffset) and precision \(precision)")
            }
            guard bitOffset == 0, precision == size * 8, bits & HDF5Decoder.fixedPointPaddingBits == 0 else {
                throw unsupported("integer with padding bits (offset \(bitOffset), precision \(precision) of \(size * 8))")
            }
            return .fixedPoint(size: size, signed: bits & HDF5Decoder.fixedPointSignedBit != 0, bigEndian: bigEndian)

        case HDF5Decoder.classFloatingPoint:
            let byteOrder = (bits & 1) | (bits >> 5) & 2
            if byteOrder == 3 { throw unsupported("VAX-order floating point") }
            if byteOrder == 2 { throw invalid("floating point with the reserved byte order bits") }
            let normalization = Int((bits >> 4) & 3)
            if normalization == 3 { throw invalid("floating point with the reserved mantissa normalization 3") }
            let layout = HDF5FloatBits(
                bitOffset: Int(try reader.u16()), precision: Int(try reader.u16()), signLocation: Int((bits >> 8) & 0xFF),
                exponentLocation: Int(try reader.u8()), exponentSize: Int(try reader.u8()),
                mantissaLocation: Int(try reader.u8()), mantissaSize: Int(try reader.u8()),
                exponentBias: try reader.u32(), mantissaNormalization: normalization, padding: Int((bits >> 1) & 7))
            let width = size * 8
            guard size > 0, layout.precision > 0, layout.bitOffset + layout.precision <= width,
                layout.exponentSize > 0, layout.mantissaSize > 0,
                layout.exponentLocation + layout.exponentSize <= width, layout.mantissaLocation + layout.mantissaSize <= width,
                layout.signLocation < width
            else { throw invalid("floating point of \(size) bytes with an impossible bit layout") }
            return .floatingPoint(size: size, bigEndian: bigEndian, bits: layout)

        case HDF5Decoder.classTime:
            _ = try reader.u16()
            guard size > 0 else { throw invalid("time of size 0") }
            return .time(size: size, bigEndian: bigEndian)

        case HDF5Decoder.classString:
            guard size > 0 else { throw invalid("fixed-length string of size 0") }
            return .string(length: size, charset: try charset(bits >> 4, reader), padding: try padding(bits, reader))

        case HDF5Decoder.classBitfield:
            let bitOffset = Int(try reader.u16())
            let precision = Int(try reader.u16())
            guard size > 0, precision > 0, bitOffset + precision <= size * 8 else {
                throw invalid("bit field of \(size) bytes with bit offset \(bitOffset) and precision \(precision)")
            }
            return .bitfield(size: size, bigEndian: bigEndian)

        case HDF5Decoder.classOpaque:
            let tagLength = Int(bits & HDF5Decoder.opaqueTagLengthMask)
            let tagBytes = try reader.bytes(tagLength)
            let tag = tagBytes.prefix { $0 != 0 }
            guard size > 0, tag.allSatisfy({ $0 < 0x80 }) else { throw invalid("opaque of size \(size) or with a non-ASCII tag") }
            return .opaque(size: size, tag: String(decoding: tag, as: UTF8.self))

        case HDF5Decoder.classCompound:
            return try compound(&reader, version: version, bits: bits, size: size, depth: depth)

        case HDF5Decoder.classReference:
            let kind = Int(bits & HDF5Decoder.subtypeMask)
            switch kind {
            case 0:
                guard size == offsetSize else { throw invalid("object reference of size \(size), expected \(offsetSize)") }
                return .reference(size: size, kind: .object)
            case 1:
                guard size == offsetSize + 4 else { throw invalid("region reference of size \(size), expected \(offsetSize + 4)") }
                return .reference(size: size, kind: .datasetRegion)
            case 2, 3, 4:
                guard version >= 4, size > 0 else { throw invalid("revised reference type \(kind) in datatype version \(version)") }
                return .reference(size: size, kind: .revised(kind))
            default:
                throw invalid("reference type \(kind)")
            }

        case HDF5Decoder.classEnumeration:
            let count = Int(bits & HDF5Decoder.memberCountMask)
            let base = try datatype(&reader, depth: depth + 1)
            guard case let .fixedPoint(baseSize, signed, baseBigEndian) = base, baseSize == size else {
                throw invalid("enumeration of size \(size) over a base that is not an integer of that size")
            }
            var names: [String] = []
            for _ in 0..<count {
                let start = reader.offset
                let name = try reader.cString(maxLength: limits.maxNameLength)
                if version < 3 { try reader.skip(HDF5Decoder.paddingAfter(reader.offset - start)) }
                guard let text = String(validating: name, as: UTF8.self) else { throw invalid("an enumeration member name is not UTF-8") }
                names.append(text)
            }
            var members: [HDF5EnumMember] = []
            for name in names {
                let raw = try reader.bytes(size)
                let value = HDF5Decoder.integer(raw, signed: signed, bigEndian: baseBigEndian)
                members.append(HDF5EnumMember(name: name, value: value))
            }
            return .enumeration(base: base, members: members)

        case HDF5Decoder.classVariableLength:
            let kind = bits & HDF5Decoder.subtypeMask
            let base = try datatype(&reader, depth: depth + 1)
            guard size == 4 + offsetSize + 4 else {
                throw invalid("variable-length type of size \(size), expected \(4 + offsetSize + 4)")
            }
            guard offsetSize == 8 else {
                throw unsupported("variable-length data in a file with \(offsetSize)-byte addresses")
            }
            switch kind {
            case 0: return .variableLengthSequence(base: base)
            case 1:
                return .string(length: nil, charset: try charset(bits >> 8, reader), padding: try padding(bits >> 4, reader))
            default: throw invalid("variable-length subtype \(kind)")
            }

        case HDF5Decoder.classArray:
            guard version >= 2 else { throw invalid("array class in datatype version 1") }
            let rank = Int(try reader.u8())
            if version == 2 { try reader.skip(3) }
            guard rank >= 1, rank <= HDF5Decoder.maxArrayRank else { throw invalid("array of rank \(rank)") }
            var dimensions: [Int] = []
            for _ in 0..<rank { dimensions.append(Int(try reader.u32())) }
            if version == 2 { try reader.skip(4 * rank) }
            let base = try datatype(&reader, depth: depth + 1)
            guard dimensions.allSatisfy({ $0 > 0 }), let total = Checked.product(dimensions + [base.size]), total == size else {
                throw invalid("array \(dimensions) of \(base.size)-byte elements does not have size \(size)")
            }
            return .array(dimensions: dimensions, base: base)

        case HDF5Decoder.classComplex:
            throw unsupported("complex number datatype (class 11, HDF5 2.0)")

        default:
            throw unsupported("datatype class \(typeClass)")
        }
    }

    /// Format spec IV.A.2.d, compound properties (versions 1, 2 and 3).
    private func compound(
        _ reader: inout HDF5Cursor, version: UInt8, bits: UInt32, size: Int, depth: Int
    ) throws(HDF5Error) -> HDF5Datatype {
        let count = Int(bits & HDF5Decoder.memberCountMask)
        let offsetWidth = HDF5Decoder.limitEncodedSize(UInt64(size))
        var members: [HDF5CompoundMember] = []
        for _ in 0..<count {
            let start = reader.offset
            let nameBytes = try reader.cString(maxLength: limits.maxNameLength)
            if version < 3 { try reader.skip(HDF5Decoder.paddingAfter(reader.offset - start)) }
            guard let name = String(validating: nameBytes, as: UTF8.self) else {
                throw reader.error(HDF5Error.Code.datatypeInvalid, "a compound member name is not UTF-8")
            }
            let offset = version < 3 ? Int(try reader.u32()) : try reader.int(width: offsetWidth)
            var dimensions: [Int] = []
            if version == 1 {
                let rank = Int(try reader.u8())
                try reader.skip(3 + 4 + 4)
                var all: [Int] = []
                for _ in 0..<HDF5Decoder.version1CompoundDimensions { all.append(Int(try reader.u32())) }
                guard rank <= HDF5Decoder.version1CompoundDimensions else {
                    throw reader.error(HDF5Error.Code.datatypeInvalid, "compound member of rank \(rank)")
                }
                dimensions = Array(all.prefix(rank))
            }
            var member = try datatype(&reader, depth: depth + 1)
            if !dimensions.isEmpty {
                guard dimensions.allSatisfy({ $0 > 0 }), Checked.product(dimensions + [member.size]) != nil else {
                    throw reader.error(HDF5Error.Code.datatypeInvalid, "compound member dimensions \(dimensions)")
                }
                member = .array(dimensions: dimensions, base: member)
            }
            guard let end = Checked.add(offset, member.size), end <= size else {
                throw reader.error(HDF5Error.Code.datatypeInvalid,
                    "compound member \"\(name)\" at offset \(offset) of \(member.size) bytes overruns the compound's \(size) bytes")
            }
            members.append(HDF5CompoundMember(name: name, offset: offset, datatype: member))
        }
        return .compound(size: size, members: members)
    }

    private func charset(_ value: UInt32, _ reader: HDF5Cursor) throws(HDF5Error) -> HDF5StringCharset {
        switch value & 0x0F {
        case 0: return .ascii
        case 1: return .utf8
        case let other: throw reader.error(HDF5Error.Code.datatypeInvalid, "string character set \(other)")
        }
    }

    private func padding(_ value: UInt32, _ reader: HDF5Cursor) throws(HDF5Error) -> HDF5StringPadding {
        switch value & 0x0F {
        case 0: return .nullTerminated
        case 1: return .nullPadded
        case 2: return .spacePadded
        case let other: throw reader.error(HDF5Error.Code.datatypeInvalid, "string padding type \(other)")
        }
    }

    /// Bytes of padding after a name of `length` bytes (NUL included) to reach a multiple of 8.
    static func paddingAfter(_ length: Int) -> Int {
        (namePadding - length % namePadding) % namePadding
    }

    /// The number of bytes HDF5 uses to encode values up to `value` (`H5VM_limit_enc_size`).
    static func limitEncodedSize(_ value: UInt64) -> Int {
        let log2 = value == 0 ? 0 : 63 - value.leadingZeroBitCount
        return log2 / 8 + 1
    }

    /// A 1- to 8-byte integer in either byte order, sign-extended when `signed`.
    static func integer(_ raw: [UInt8], signed: Bool, bigEndian: Bool) -> Int64 {
        let ordered = bigEndian ? raw.reversed() : raw
        var value: UInt64 = 0
        for (index, byte) in ordered.prefix(8).enumerated() { value |= UInt64(byte) << UInt64(8 * index) }
        let width = min(raw.count, 8)
        if signed, width < 8, width > 0, value & (UInt64(1) << UInt64(8 * width - 1)) != 0 {
            value |= ~((UInt64(1) << UInt64(8 * width)) - 1)
        }
        return Int64(bitPattern: value)
    }
}
