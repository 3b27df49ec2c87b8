import KerasBytes

/// The fixed part of a central directory file header (APPNOTE 4.3.12).
struct ZipCentralHeader {
    /// The fixed part's size; the name, extra field and comment follow.
    static let fixedSize = 46

    let signature: UInt32
    let versionMadeBy: UInt16
    let versionNeeded: UInt16
    let flags: UInt16
    let method: UInt16
    let time: UInt16
    let date: UInt16
    let crc32: UInt32
    let compressedSize: UInt32
    let uncompressedSize: UInt32
    let nameLength: Int
    let extraLength: Int
    let commentLength: Int
    let diskStart: UInt16
    let internalAttributes: UInt16
    let externalAttributes: UInt32
    let localHeaderOffset: UInt32

    /// The fixed part at `offset`, or nil when it does not fit in `bytes`.
    init?(_ bytes: ByteView, at offset: Int) {
        // APPNOTE 4.3.12 and 4.4: central file header fields in order.
        var cursor = ByteCursor(bytes, offset: offset)
        guard cursor.offset == offset, cursor.remaining >= ZipCentralHeader.fixedSize,
              let signature = cursor.readLittleEndian(UInt32.self),
              let versionMadeBy = cursor.readLittleEndian(UInt16.self),
              let versionNeeded = cursor.readLittleEndian(UInt16.self),
              let flags = cursor.readLittleEndian(UInt16.self),
              let method = cursor.readLittleEndian(UInt16.self),
              let time = cursor.readLittleEndian(UInt16.self),
              let date = cursor.readLittleEndian(UInt16.self),
              let crc32 = cursor.readLittleEndian(UInt32.self),
              let compressedSize = cursor.readLittleEndian(UInt32.self),
              let uncompressedSize = cursor.readLittleEndian(UInt32.self),
              let nameLength = cursor.readLittleEndian(UInt16.self),
              let extraLength = cursor.readLittleEndian(UInt16.self),
              let commentLength = cursor.readLittleEndian(UInt16.self),
              let diskStart = cursor.readLittleEndian(UInt16.self),
              let internalAttributes = cursor.readLittleEndian(UInt16.self),
              let externalAttributes = cursor.readLittleEndian(UInt32.self),
              let localHeaderOffset = cursor.readLittleEndian(UInt32.self) else { return nil }
        self.signature = signature
        self.versionMadeBy = versionMadeBy
        self.versionNeeded = versionNeeded
        self.flags = flags
        self.method = method
        self.time = time
        self.date = date
        self.crc32 = crc32
        self.compressedSize = compressedSize
        self.uncompressedSize = uncompressedSize
        self.nameLength = Int(nameLength)
        self.extraLength = Int(extraLength)
        self.commentLength = Int(commentLength)
        self.diskStart = diskStart
        self.internalAttributes = internalAttributes
        self.externalAttributes = externalAttributes
        self.localHeaderOffset = localHeaderOffset
    }

    /// The header's size with its name, extra field and comment.
    var totalSize: Int { ZipCentralHeader.fixedSize + nameLength + extraLength + commentLength }
}
