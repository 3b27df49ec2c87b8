import KerasBytes

/// A forward reader over one structure of an HDF5 file that throws instead of returning nil.
///
/// A read past the end of the structure is reported with the structure's own error code (given at
/// creation), at the file address of the failed read.
struct HDF5Cursor {
    private var cursor: ByteCursor
    /// The file address of the first byte of the view.
    let startAddress: UInt64
    /// The code reported when a read runs past the end of the view or a field is out of range.
    let code: ErrorCode
    /// The structure's name for messages ("dataspace message").
    let what: String
    /// Size of offsets in bytes.
    let offsetSize: Int
    /// Size of lengths in bytes.
    let lengthSize: Int

    init(_ view: ByteView, address: UInt64, code: ErrorCode, what: String, geometry: HDF5Geometry) {
        self.cursor = ByteCursor(view)
        self.startAddress = address
        self.code = code
        self.what = what
        self.offsetSize = geometry.offsetSize
        self.lengthSize = geometry.lengthSize
    }

    /// The view being read.
    var view: ByteView { cursor.view }
    /// The position of the next read, relative to the view.
    var offset: Int { cursor.offset }
    /// Bytes left.
    var remaining: Int { cursor.remaining }
    /// Whether every byte has been read.
    var isAtEnd: Bool { cursor.isAtEnd }
    /// The file address of the next read.
    var fileAddress: UInt64 { startAddress &+ UInt64(cursor.offset) }

    /// An error with this cursor's code at the current position.
    func error(_ reason: String) -> HDF5Error {
        HDF5Error(code, "\(what): \(reason)", address: fileAddress)
    }

    /// An error with another code at the current position.
    func error(_ code: ErrorCode, _ reason: String) -> HDF5Error {
        HDF5Error(code, "\(what): \(reason)", address: fileAddress)
    }

    private func short(_ needed: Int) -> HDF5Error {
        error("needs \(needed) more bytes at offset \(cursor.offset) but only \(cursor.remaining) remain")
    }

    mutating func u8() throws(HDF5Error) -> UInt8 {
        guard let value = cursor.readUInt8() else { throw short(1) }
        return value
    }

    mutating func u16() throws(HDF5Error) -> UInt16 {
        guard let value = cursor.readLittleEndian(UInt16.self) else { throw short(2) }
        return value
    }

    mutating func u32() throws(HDF5Error) -> UInt32 {
        guard let value = cursor.readLittleEndian(UInt32.self) else { throw short(4) }
        return value
    }

    mutating func u64() throws(HDF5Error) -> UInt64 {
        guard let value = cursor.readLittleEndian(UInt64.self) else { throw short(8) }
        return value
    }

    /// An unsigned little-endian integer of `width` (1 to 8) bytes.
    mutating func unsigned(width: Int) throws(HDF5Error) -> UInt64 {
        guard let value = cursor.readLittleEndian(width: width) else { throw short(width) }
        return value
    }

    /// An unsigned little-endian integer of `width` bytes that must fit an `Int`.
    mutating func int(width: Int) throws(HDF5Error) -> Int {
        let raw = try unsigned(width: width)
        guard let value = Int(exactly: raw) else { throw error("value \(raw) does not fit an Int") }
        return value
    }

    /// An address of the file's size of offsets; nil for the undefined address.
    mutating func address() throws(HDF5Error) -> UInt64? {
        let raw = try unsigned(width: offsetSize)
        return raw == HDF5Geometry.allOnes(width: offsetSize) ? nil : raw
    }

    /// A raw offset-sized value (the undefined address is returned as all ones).
    mutating func rawAddress() throws(HDF5Error) -> UInt64 {
        try unsigned(width: offsetSize)
    }

    /// A length of the file's size of lengths, as an Int.
    mutating func length() throws(HDF5Error) -> Int {
        try int(width: lengthSize)
    }

    /// A raw length-sized value.
    mutating func rawLength() throws(HDF5Error) -> UInt64 {
        try unsigned(width: lengthSize)
    }

    /// The next `count` bytes as a view sharing the file's storage.
    mutating func view(_ count: Int) throws(HDF5Error) -> ByteView {
        guard count >= 0, let slice = cursor.readView(length: count) else { throw short(count) }
        return slice
    }

    /// The next `count` bytes as an array.
    mutating func bytes(_ count: Int) throws(HDF5Error) -> [UInt8] {
        try view(count).bytes
    }

    /// Skips `count` bytes.
    mutating func skip(_ count: Int) throws(HDF5Error) {
        guard cursor.skip(count) else { throw short(count) }
    }

    /// Skips to the next multiple of `alignment` from the start of the view.
    mutating func align(_ alignment: Int) throws(HDF5Error) {
        let padding = (alignment - cursor.offset % alignment) % alignment
        try skip(padding)
    }

    /// Moves to `position` in the view.
    mutating func seek(_ position: Int) throws(HDF5Error) {
        guard cursor.seek(to: position) else { throw error("position \(position) lies outside \(cursor.view.count) bytes") }
    }

    /// Checks the 4-byte signature.
    mutating func expectSignature(_ signature: [UInt8], code: ErrorCode) throws(HDF5Error) {
        let found = try bytes(signature.count)
        guard found == signature else {
            throw error(code, "expected signature \(HDF5Cursor.printable(signature)), found \(HDF5Cursor.printable(found))")
        }
    }

    /// A byte string for messages: ASCII as is, other bytes as `\xNN`.
    static func printable(_ bytes: [UInt8]) -> String {
        var text = "\""
        for byte in bytes {
            if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text + "\""
    }
}

extension HDF5Cursor {
    /// The bytes up to the next NUL, consuming the NUL; at most `maxLength` bytes before it.
    mutating func cString(maxLength: Int) throws(HDF5Error) -> [UInt8] {
        let start = offset
        var index = start
        let end = view.count
        while index < end, view[index] != 0 {
            index += 1
            if index - start > maxLength {
                throw error(HDF5Error.Code.stringLengthLimitExceeded, "a name is longer than \(maxLength) bytes (maxNameLength)")
            }
        }
        guard index < end else { throw error("a name is not NUL-terminated") }
        let bytes = try self.bytes(index - start)
        try skip(1)
        return bytes
    }
}
