import KerasBytes

/// The extra fields of one header, split into (id, data) pairs (APPNOTE 4.5.1).
struct ZipExtraFields {
    /// One extra field: its id and its data (without the 4-byte header).
    struct Field {
        let id: UInt16
        let data: ByteView
    }

    /// The well-formed fields, in order.
    private(set) var fields: [Field] = []
    /// Bytes after the last field, too few (1 to 3) for a field header.
    private(set) var trailingBytes = 0
    /// The offset (within the block) and id of a field whose data runs past the block.
    private(set) var overrun: (offset: Int, id: UInt16, length: Int)?
    /// Ids that occur more than once.
    private(set) var duplicateIDs: [UInt16] = []
    /// Whether the block holds more fields than the limit (parsing stopped there).
    private(set) var tooMany = false

    /// Splits `block` into fields, stopping after `maxFields`.
    init(_ block: ByteView, maxFields: Int) {
        // APPNOTE 4.5.1: header ID (2), data size (2), data.
        var cursor = ByteCursor(block)
        var seen = Set<UInt16>()
        while cursor.remaining >= ZipFormat.extraFieldHeaderSize {
            let start = cursor.offset
            guard let id = cursor.readLittleEndian(UInt16.self),
                  let length = cursor.readLittleEndian(UInt16.self) else { break }
            guard let data = cursor.readView(length: Int(length)) else {
                overrun = (start, id, Int(length))
                return
            }
            guard fields.count < maxFields else {
                tooMany = true
                return
            }
            if !seen.insert(id).inserted, !duplicateIDs.contains(id) { duplicateIDs.append(id) }
            fields.append(Field(id: id, data: data))
        }
        trailingBytes = cursor.remaining
    }

    /// The field ids in order.
    var ids: [UInt16] { fields.map(\.id) }

    /// The first field with `id`, the one Python's zipfile effectively uses.
    func first(_ id: UInt16) -> Field? { fields.first { $0.id == id } }

    /// The values a ZIP64 extended information field supplies (APPNOTE 4.5.3).
    struct Zip64Values {
        var uncompressedSize: UInt64?
        var compressedSize: UInt64?
        var localHeaderOffset: UInt64?
    }

    /// Reads the ZIP64 values that are needed, in APPNOTE order; nil when a needed value is missing.
    static func zip64Values(
        _ data: ByteView, needUncompressed: Bool, needCompressed: Bool, needOffset: Bool
    ) -> Zip64Values? {
        // APPNOTE 4.5.3: original size, compressed size, local header offset, disk start; each only when
        // the corresponding header field holds its sentinel.
        var cursor = ByteCursor(data)
        var values = Zip64Values()
        if needUncompressed {
            guard let value = cursor.readLittleEndian(UInt64.self) else { return nil }
            values.uncompressedSize = value
        }
        if needCompressed {
            guard let value = cursor.readLittleEndian(UInt64.self) else { return nil }
            values.compressedSize = value
        }
        if needOffset {
            guard let value = cursor.readLittleEndian(UInt64.self) else { return nil }
            values.localHeaderOffset = value
        }
        return values
    }
}
