import KerasBytes

/// The fixed part of a local file header (APPNOTE 4.3.7).
struct ZipLocalHeader {
    /// The fixed part's size; the name and extra field follow, then the data.
    static let fixedSize = 30

    let signature: UInt32
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

    /// The fixed part at `offset`, or nil when it does not fit in `bytes`.
    init?(_ bytes: ByteView, at offset: Int) {
        // APPNOTE 4.3.7 and 4.4: local file header fields in order.
        var cursor = ByteCursor(bytes, offset: offset)
        guard offset >= 0, cursor.offset == offset, cursor.remaining >= ZipLocalHeader.fixedSize,
              let signature = cursor.readLittleEndian(UInt32.self),
              let versionNeeded = cursor.readLittleEndian(UInt16.self),
              let flags = cursor.readLittleEndian(UInt16.self),
              let method = cursor.readLittleEndian(UInt16.self),
              let time = cursor.readLittleEndian(UInt16.self),
              let date = cursor.readLittleEndian(UInt16.self),
              let crc32 = cursor.readLittleEndian(UInt32.self),
              let compressedSize = cursor.readLittleEndian(UInt32.self),
              let uncompressedSize = cursor.readLittleEndian(UInt32.self),
              let nameLength = cursor.readLittleEndian(UInt16.self),
              let extraLength = cursor.readLittleEndian(UInt16.self) else { return nil }
        self.signature = signature
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
    }
}
