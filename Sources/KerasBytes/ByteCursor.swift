/// A forward reader over a ``ByteView`` that never traps on input: every read that would run past
/// the end returns nil and leaves the cursor where it was.
///
/// Readers turn a nil into their own typed error with the cursor's ``offset`` as the location.
public struct ByteCursor: Sendable {
    /// The bytes being read.
    public let view: ByteView
    /// The position of the next read, relative to the start of ``view``.
    public private(set) var offset: Int

    /// A cursor at `offset` (clamped to the view) of `view`.
    public init(_ view: ByteView, offset: Int = 0) {
        self.view = view
        self.offset = min(max(offset, 0), view.count)
    }

    /// How many bytes are left after ``offset``.
    public var remaining: Int { view.count - offset }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == view.count }

    /// Reads one byte.
    public mutating func readUInt8() -> UInt8? {
        guard let value = view.byte(at: offset) else { return nil }
        offset += 1
        return value
    }

    /// Reads a little-endian unsigned integer.
    public mutating func readLittleEndian<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type) -> T? {
        guard let value = view.loadLittleEndian(type, at: offset) else { return nil }
        offset += T.bitWidth / 8
        return value
    }

    /// Reads a little-endian unsigned integer of `width` bytes (1 to 8) into a UInt64.
    ///
    /// HDF5 stores offsets and lengths in widths chosen by the file.
    public mutating func readLittleEndian(width: Int) -> UInt64? {
        guard width >= 1, width <= 8, width <= remaining else { return nil }
        var value: UInt64 = 0
        for index in 0..<width {
            value |= UInt64(view[offset + index]) << (8 * UInt64(index))
        }
        offset += width
        return value
    }

    /// Reads `length` bytes as a view sharing the cursor's storage.
    public mutating func readView(length: Int) -> ByteView? {
        guard let slice = view.slice(offset: offset, length: length) else { return nil }
        offset += length
        return slice
    }

    /// Reads `length` bytes into an array.
    public mutating func readBytes(length: Int) -> [UInt8]? {
        readView(length: length)?.bytes
    }

    /// Advances by `length` bytes; false (and no move) when fewer remain.
    @discardableResult
    public mutating func skip(_ length: Int) -> Bool {
        guard length >= 0, length <= remaining else { return false }
        offset += length
        return true
    }

    /// Moves to `position`; false (and no move) when it lies outside the view.
    @discardableResult
    public mutating func seek(to position: Int) -> Bool {
        guard position >= 0, position <= view.count else { return false }
        offset = position
        return true
    }

    /// Advances to the next multiple of `alignment` measured from `origin`; false when that lies outside.
    @discardableResult
    public mutating func align(to alignment: Int, from origin: Int = 0) -> Bool {
        guard alignment > 0 else { return false }
        let distance = offset - origin
        let padding = (alignment - distance % alignment) % alignment
        return skip(padding)
    }
}
