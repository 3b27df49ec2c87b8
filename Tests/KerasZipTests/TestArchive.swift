import CZlib
import KerasBytes
import KerasZip

/// One member for ``TestArchive``: by default exactly what CPython's zipfile writes for
/// `writestr(ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)` with `external_attr = 0o600 << 16`.
/// Every field can be overridden to build malformed archives.
struct TestMember {
    var name: [UInt8]
    /// The bytes written as member data (the compressed stream for DEFLATE).
    var stored: [UInt8]
    var crc32: UInt32
    var uncompressedSize: UInt64
    var method: UInt16 = 0
    var flags: UInt16 = 0
    var time: UInt16 = 0
    var date: UInt16 = 0x0021
    var versionMadeBy: UInt16 = 0x0314
    var versionNeeded: UInt16 = 20
    var externalAttributes: UInt32 = 0o600 << 16
    var internalAttributes: UInt16 = 0
    var diskStart: UInt16 = 0
    var centralExtra: [UInt8] = []
    var localExtra: [UInt8] = []
    var comment: [UInt8] = []

    /// Local header fields that differ from the central entry.
    var localName: [UInt8]?
    var localFlags: UInt16?
    var localMethod: UInt16?
    var localVersionNeeded: UInt16?
    var localTime: UInt16?
    var localCRC: UInt32?
    var localCompressed32: UInt32?
    var localUncompressed32: UInt32?

    /// Central fields written instead of the computed ones.
    var centralCompressed32: UInt32?
    var centralUncompressed32: UInt32?
    var centralOffset32: UInt32?
    var centralNameLength: UInt16?
    var centralSignature: UInt32 = 0x0201_4B50

    /// Sizes and offset as 0xFFFFFFFF in the central entry, with a ZIP64 extra field holding them.
    var zip64Central = false
    /// Sizes as 0xFFFFFFFF in the local header, with a ZIP64 extra field holding them (Python's `force_zip64`).
    var zip64Local = false
    /// Bytes written after the data (a data descriptor).
    var descriptor: [UInt8] = []
    /// Bytes written before the local header (a gap).
    var before: [UInt8] = []
    /// Whether the local record is written at all (false: the central entry points elsewhere, `centralOffset32`).
    var writeLocal = true

    /// A STORED member, Python-style: flag bit 11 for non-ASCII names.
    static func stored(_ name: String, _ data: [UInt8]) -> TestMember {
        let nameBytes = Array(name.utf8)
        var member = TestMember(name: nameBytes, stored: data, crc32: crc(data), uncompressedSize: UInt64(data.count))
        if nameBytes.contains(where: { $0 >= 0x80 }) { member.flags = 0x0800 }
        return member
    }

    /// A DEFLATE member compressed by zlib.
    static func deflated(_ name: String, _ data: [UInt8]) -> TestMember {
        var member = stored(name, data)
        member.stored = rawDeflate(data)
        member.method = 8
        return member
    }

    /// This member's local header, name, extra field, data and descriptor.
    func localRecord() -> [UInt8] {
        var out: [UInt8] = []
        let extra = zip64Local
            ? le(UInt16(1)) + le(UInt16(16)) + le(uncompressedSize) + le(UInt64(stored.count)) + localExtra
            : localExtra
        let name = localName ?? self.name
        out += le(UInt32(0x0403_4B50))
        out += le(localVersionNeeded ?? versionNeeded)
        out += le(localFlags ?? flags)
        out += le(localMethod ?? method)
        out += le(localTime ?? time)
        out += le(date)
        out += le(localCRC ?? crc32)
        out += le(localCompressed32 ?? (zip64Local ? 0xFFFF_FFFF : UInt32(truncatingIfNeeded: stored.count)))
        out += le(localUncompressed32 ?? (zip64Local ? 0xFFFF_FFFF : UInt32(truncatingIfNeeded: uncompressedSize)))
        out += le(UInt16(name.count))
        out += le(UInt16(extra.count))
        out += name + extra + stored + descriptor
        return out
    }

    /// This member's central directory header for a local header at `offset`.
    func centralRecord(offset: UInt64) -> [UInt8] {
        var extra = centralExtra
        if zip64Central {
            extra = le(UInt16(1)) + le(UInt16(24)) + le(uncompressedSize) + le(UInt64(stored.count)) + le(offset) + extra
        }
        var out: [UInt8] = []
        out += le(centralSignature)
        out += le(versionMadeBy)
        out += le(versionNeeded)
        out += le(flags)
        out += le(method)
        out += le(time)
        out += le(date)
        out += le(crc32)
        out += le(centralCompressed32 ?? (zip64Central ? 0xFFFF_FFFF : UInt32(truncatingIfNeeded: stored.count)))
        out += le(centralUncompressed32 ?? (zip64Central ? 0xFFFF_FFFF : UInt32(truncatingIfNeeded: uncompressedSize)))
        out += le(centralNameLength ?? UInt16(name.count))
        out += le(UInt16(extra.count))
        out += le(UInt16(comment.count))
        out += le(diskStart)
        out += le(internalAttributes)
        out += le(externalAttributes)
        out += le(centralOffset32 ?? (zip64Central ? 0xFFFF_FFFF : UInt32(truncatingIfNeeded: offset)))
        out += name + extra + comment
        return out
    }

    /// A data descriptor for this member: signature (optional), CRC, sizes in 4 or 8 bytes.
    func dataDescriptor(signature: Bool = true, wide: Bool = false) -> [UInt8] {
        var out: [UInt8] = signature ? le(UInt32(0x0807_4B50)) : []
        out += le(crc32)
        if wide {
            out += le(UInt64(stored.count)) + le(uncompressedSize)
        } else {
            out += le(UInt32(truncatingIfNeeded: stored.count)) + le(UInt32(truncatingIfNeeded: uncompressedSize))
        }
        return out
    }
}

/// A whole archive: prefix, members, central directory, optional ZIP64 end records, end record, comment.
struct TestArchive {
    var prefix: [UInt8] = []
    var members: [TestMember] = []
    /// Bytes between the last member and the central directory.
    var beforeDirectory: [UInt8] = []
    /// Bytes inside the central directory after its last header (counted in its size).
    var directoryTrailer: [UInt8] = []
    /// The order of central entries as indices into `members` (default: in order).
    var centralOrder: [Int]?
    var comment: [UInt8] = []
    var commentLength: UInt16?
    var appended: [UInt8] = []
    /// Added to every declared offset (local headers, central directory, ZIP64 end record).
    var offsetDelta = 0
    var zip64EndRecord = false
    var zip64RecordSize: UInt64 = 44
    var zip64DeclaredEntries: UInt64?
    var locatorDisks: UInt32 = 1
    var diskNumber: UInt16 = 0
    var entryCount: UInt16?
    var directorySize: UInt32?

    init(_ members: [TestMember] = []) {
        self.members = members
    }

    func bytes() -> [UInt8] {
        var out = prefix
        var offsets: [UInt64] = []
        for member in members {
            out += member.before
            offsets.append(UInt64(out.count))
            if member.writeLocal { out += member.localRecord() }
        }
        out += beforeDirectory
        let directoryStart = out.count
        let order = centralOrder ?? Array(members.indices)
        for index in order {
            let member = members[index]
            let declared = UInt64(Int(offsets[index]) + offsetDelta)
            out += member.centralRecord(offset: declared)
        }
        out += directoryTrailer
        let size = out.count - directoryStart
        let declaredStart = UInt64(directoryStart + offsetDelta)
        if zip64EndRecord {
            let recordOffset = out.count
            let entries = zip64DeclaredEntries ?? UInt64(order.count)
            out += le(UInt32(0x0606_4B50)) + le(zip64RecordSize) + le(UInt16(45)) + le(UInt16(45))
            out += le(UInt32(0)) + le(UInt32(0)) + le(entries) + le(entries) + le(UInt64(size)) + le(declaredStart)
            out += le(UInt32(0x0706_4B50)) + le(UInt32(0)) + le(UInt64(recordOffset + offsetDelta)) + le(locatorDisks)
        }
        let count = entryCount ?? (zip64EndRecord ? 0xFFFF : UInt16(order.count))
        out += le(UInt32(0x0605_4B50)) + le(diskNumber) + le(UInt16(0)) + le(count) + le(count)
        out += le(directorySize ?? (zip64EndRecord ? 0xFFFF_FFFF : UInt32(size)))
        out += le(zip64EndRecord ? 0xFFFF_FFFF : UInt32(declaredStart))
        out += le(commentLength ?? UInt16(comment.count))
        out += comment + appended
        return out
    }
}

/// Little-endian bytes of `value`.
func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
}

func crc(_ data: [UInt8]) -> UInt32 {
    CRC32.checksum(ByteView(copying: data))
}

/// Raw DEFLATE (zip method 8) of `data`: zlib's `compress2` output without its 2-byte header and Adler-32.
func rawDeflate(_ data: [UInt8], level: Int32 = 9) -> [UInt8] {
    var length = compressBound(uLong(data.count))
    var output = [UInt8](repeating: 0, count: Int(length))
    let status = data.withUnsafeBufferPointer { input in
        output.withUnsafeMutableBufferPointer { out in
            compress2(out.baseAddress, &length, input.baseAddress, uLong(input.count), level)
        }
    }
    precondition(status == Z_OK, "compress2 failed")
    return Array(output[2..<(Int(length) - 4)])
}

/// Deterministic pseudo-random bytes (SplitMix64), so every failure replays from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What reading `bytes` produces: the thrown code, or every issue and every verification failure.
func observedCodes(_ bytes: [UInt8], limits: ZipLimits = ZipLimits()) -> [ErrorCode] {
    do {
        let archive = try ZipArchive.read(ByteView(copying: bytes), limits: limits)
        return archive.verifyAll().map(\.code)
    } catch {
        return [error.code]
    }
}

/// Paths next to the test sources and in the package.
enum TestPaths {
    /// The folder of this file (Tests/KerasZipTests).
    static let testsFolder: String = {
        let path = #filePath
        return String(path[..<path.lastIndex(of: "/")!])
    }()

    /// The package root (two levels above the tests folder).
    static let packageRoot: String = {
        var path = testsFolder
        for _ in 0..<2 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    static let fixtures = testsFolder + "/Fixtures"
    static let goldenCorpus = packageRoot + "/Corpus/golden"
    static let invalidCorpus = packageRoot + "/Corpus/invalid/zip"
}
