/// One member of a zip archive, as its central directory entry and local header describe it.
///
/// Sizes, CRC, method and flags are the central directory's (after ZIP64 extension), which is what
/// Python's zipfile uses to read a member; local-header disagreements are reported as issues.
public struct ZipEntry: Sendable, Hashable {
    /// The name as Python's zipfile reports it: UTF-8 when flag bit 11 is set, else CP437, cut at the first
    /// NUL. Invalid UTF-8 is decoded with U+FFFD (and reported).
    public let name: String
    /// The name's bytes exactly as stored in the central directory.
    public let rawName: [UInt8]
    /// The position of the entry in the central directory, from 0.
    public let index: Int
    /// The compression method: 0 STORED, 8 DEFLATE; others are reported as unsupported.
    public let method: UInt16
    /// The general purpose bit flags of the central entry.
    public let flags: UInt16
    /// The declared CRC-32 of the uncompressed data.
    public let crc32: UInt32
    /// The declared size of the data as stored in the archive.
    public let compressedSize: Int
    /// The declared size of the data after decompression (clamped to `Int.max`; larger is reported as too large).
    public let uncompressedSize: Int
    /// The offset of the local header in the file (re-based when the archive's offsets are shifted).
    public let localHeaderOffset: Int
    /// The offset of the first byte of member data in the file.
    public let dataOffset: Int
    /// The modification time of the central entry.
    public let modified: DOSDateTime
    /// Version made by: high byte the host system (3 = Unix), low byte the zip spec version times 10.
    public let versionMadeBy: UInt16
    /// Version needed to extract, times 10 in the low byte (20 for Python's zipfile, 45 with ZIP64).
    public let versionNeeded: UInt16
    /// External file attributes; on Unix hosts the high 16 bits are the `st_mode`.
    public let externalAttributes: UInt32
    /// The ids of the central entry's extra fields, in order.
    public let extraFieldIDs: [UInt16]
    /// The ids of the local header's extra fields, in order.
    public let localExtraFieldIDs: [UInt16]
    /// Whether the central entry or the local header carries a ZIP64 extended information field (0x0001).
    public let usesZip64: Bool

    /// Creates an entry; the reader is the only producer of entries that ``ZipArchive`` accepts.
    public init(
        name: String, rawName: [UInt8], index: Int, method: UInt16, flags: UInt16, crc32: UInt32,
        compressedSize: Int, uncompressedSize: Int, localHeaderOffset: Int, dataOffset: Int,
        modified: DOSDateTime, versionMadeBy: UInt16, versionNeeded: UInt16, externalAttributes: UInt32,
        extraFieldIDs: [UInt16], localExtraFieldIDs: [UInt16], usesZip64: Bool
    ) {
        self.name = name
        self.rawName = rawName
        self.index = index
        self.method = method
        self.flags = flags
        self.crc32 = crc32
        self.compressedSize = compressedSize
        self.uncompressedSize = uncompressedSize
        self.localHeaderOffset = localHeaderOffset
        self.dataOffset = dataOffset
        self.modified = modified
        self.versionMadeBy = versionMadeBy
        self.versionNeeded = versionNeeded
        self.externalAttributes = externalAttributes
        self.extraFieldIDs = extraFieldIDs
        self.localExtraFieldIDs = localExtraFieldIDs
        self.usesZip64 = usesZip64
    }

    /// The compression method STORED (no compression).
    public static let methodStored: UInt16 = 0
    /// The compression method DEFLATE.
    public static let methodDeflate: UInt16 = 8
    /// Flag bit 0: the member is encrypted.
    public static let flagEncrypted: UInt16 = 1 << 0
    /// Flag bit 3: CRC and sizes follow the data in a data descriptor.
    public static let flagDataDescriptor: UInt16 = 1 << 3
    /// Flag bit 5: compressed patched data.
    public static let flagPatchedData: UInt16 = 1 << 5
    /// Flag bit 6: strong encryption.
    public static let flagStrongEncryption: UInt16 = 1 << 6
    /// Flag bit 11: the name (and comment) are UTF-8.
    public static let flagUTF8: UInt16 = 1 << 11

    private static let fileTypeMask: UInt32 = 0o170000
    private static let symlinkType: UInt32 = 0o120000

    /// Whether the entry is a directory: its name ends in `/`, Python's `ZipInfo.is_dir()` test.
    public var isDirectory: Bool { name.hasSuffix("/") }

    /// Whether the entry is a symbolic link: Unix file type S_IFLNK in the high 16 bits of the external attributes.
    public var isSymlink: Bool {
        (externalAttributes >> 16) & ZipEntry.fileTypeMask == ZipEntry.symlinkType
    }

    /// Whether the member is encrypted (flag bit 0 or 6).
    public var isEncrypted: Bool {
        flags & (ZipEntry.flagEncrypted | ZipEntry.flagStrongEncryption) != 0
    }

    /// Whether CRC and sizes follow the data in a data descriptor (flag bit 3).
    public var hasDataDescriptor: Bool { flags & ZipEntry.flagDataDescriptor != 0 }
}
