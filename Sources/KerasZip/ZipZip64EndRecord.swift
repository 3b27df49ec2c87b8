import KerasBytes

/// The ZIP64 end of central directory record (APPNOTE 4.3.14), without extensible data.
struct ZipZip64EndRecord {
    /// The record's size without extensible data.
    static let size = 56
    /// The "size of remaining record" of a record without extensible data.
    static let remainingSize: UInt64 = 44

    let signature: UInt32
    let remainingSize: UInt64
    let versionMadeBy: UInt16
    let versionNeeded: UInt16
    let diskNumber: UInt32
    let directoryDisk: UInt32
    let entriesOnDisk: UInt64
    let entries: UInt64
    let directorySize: UInt64
    let directoryOffset: UInt64

    /// The record at `offset`, or nil when it does not fit in `bytes`.
    init?(_ bytes: ByteView, at offset: Int) {
        // APPNOTE 4.3.14: signature, record size, versions, disk numbers, entry counts, directory size and offset.
        var cursor = ByteCursor(bytes, offset: offset)
        guard offset >= 0, cursor.offset == offset, cursor.remaining >= ZipZip64EndRecord.size,
              let signature = cursor.readLittleEndian(UInt32.self),
              let remainingSize = cursor.readLittleEndian(UInt64.self),
              let versionMadeBy = cursor.readLittleEndian(UInt16.self),
              let versionNeeded = cursor.readLittleEndian(UInt16.self),
              let diskNumber = cursor.readLittleEndian(UInt32.self),
              let directoryDisk = cursor.readLittleEndian(UInt32.self),
              let entriesOnDisk = cursor.readLittleEndian(UInt64.self),
              let entries = cursor.readLittleEndian(UInt64.self),
              let directorySize = cursor.readLittleEndian(UInt64.self),
              let directoryOffset = cursor.readLittleEndian(UInt64.self) else { return nil }
        self.signature = signature
        self.remainingSize = remainingSize
        self.versionMadeBy = versionMadeBy
        self.versionNeeded = versionNeeded
        self.diskNumber = diskNumber
        self.directoryDisk = directoryDisk
        self.entriesOnDisk = entriesOnDisk
        self.entries = entries
        self.directorySize = directorySize
        self.directoryOffset = directoryOffset
    }
}
