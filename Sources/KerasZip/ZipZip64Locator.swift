import KerasBytes

/// The ZIP64 end of central directory locator (APPNOTE 4.3.15).
struct ZipZip64Locator {
    /// The locator's size.
    static let size = 20

    let signature: UInt32
    let recordDisk: UInt32
    let recordOffset: UInt64
    let diskCount: UInt32

    /// The locator at `offset`, or nil when it does not fit in `bytes`.
    init?(_ bytes: ByteView, at offset: Int) {
        // APPNOTE 4.3.15: signature, disk of the ZIP64 end record, its offset, total number of disks.
        var cursor = ByteCursor(bytes, offset: offset)
        guard offset >= 0, cursor.offset == offset, cursor.remaining >= ZipZip64Locator.size,
              let signature = cursor.readLittleEndian(UInt32.self),
              let recordDisk = cursor.readLittleEndian(UInt32.self),
              let recordOffset = cursor.readLittleEndian(UInt64.self),
              let diskCount = cursor.readLittleEndian(UInt32.self) else { return nil }
        self.signature = signature
        self.recordDisk = recordDisk
        self.recordOffset = recordOffset
        self.diskCount = diskCount
    }
}
