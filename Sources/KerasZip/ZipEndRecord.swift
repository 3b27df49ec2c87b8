import KerasBytes

/// The end of central directory record (APPNOTE 4.3.16), without its comment.
struct ZipEndRecord {
    /// The record's size without the comment.
    static let size = 22

    let signature: UInt32
    let diskNumber: UInt16
    let directoryDisk: UInt16
    let entriesOnDisk: UInt16
    let entries: UInt16
    let directorySize: UInt32
    let directoryOffset: UInt32
    let commentLength: UInt16

    /// The record at `offset`, or nil when it does not fit in `bytes`.
    init?(_ bytes: ByteView, at offset: Int) {
        // APPNOTE 4.3.16: signature, disk numbers, entry counts, directory size and offset, comment length.
        var cursor = ByteCursor(bytes, offset: offset)
        guard cursor.offset == offset, cursor.remaining >= ZipEndRecord.size,
              let signature = cursor.readLittleEndian(UInt32.self),
              let diskNumber = cursor.readLittleEndian(UInt16.self),
              let directoryDisk = cursor.readLittleEndian(UInt16.self),
              let entriesOnDisk = cursor.readLittleEndian(UInt16.self),
              let entries = cursor.readLittleEndian(UInt16.self),
              let directorySize = cursor.readLittleEndian(UInt32.self),
              let directoryOffset = cursor.readLittleEndian(UInt32.self),
              let commentLength = cursor.readLittleEndian(UInt16.self) else { return nil }
        self.signature = signature
        self.diskNumber = diskNumber
        self.directoryDisk = directoryDisk
        self.entriesOnDisk = entriesOnDisk
        self.entries = entries
        self.directorySize = directorySize
        self.directoryOffset = directoryOffset
        self.commentLength = commentLength
    }
}
