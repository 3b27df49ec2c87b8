/// An immutable, bounds-checked window onto bytes that stay alive as long as the view does.
///
/// Views are cheap to copy and to slice: a slice shares the storage of its parent, so reading a
/// member of a memory-mapped archive or the data of a contiguous HDF5 dataset copies nothing.
/// Offsets given to a view are relative to the view's own start.
public struct ByteView: Sendable {
    private let storage: ByteStorage
    private let start: Int
    /// The number of bytes in the view.
    public let count: Int

    private init(storage: ByteStorage, start: Int, count: Int) {
        self.storage = storage
        self.start = start
        self.count = count
    }

    /// A view of a private copy of `bytes`.
    public init<C: Collection>(copying bytes: C) where C.Element == UInt8 {
        let storage = ByteStorage.copying(bytes)
        self.init(storage: storage, start: 0, count: storage.count)
    }

    /// A view of the file at `path`, memory-mapped read-only.
    ///
    /// Pages are read from disk only when touched, so a reader that looks only at headers costs
    /// little memory whatever the file's size.
    public init(mappingFileAt path: String) throws(ByteViewError) {
        let storage = try ByteStorage.mapping(path: path)
        self.init(storage: storage, start: 0, count: storage.count)
    }

    /// An empty view.
    public static let empty = ByteView(copying: [])

    /// Whether the view holds no bytes.
    public var isEmpty: Bool { count == 0 }

    /// The byte at `offset`; traps when `offset` is outside the view (caller misuse, never input).
    @inlinable
    public subscript(offset: Int) -> UInt8 {
        precondition(offset >= 0 && offset < count, "ByteView index out of range")
        return byte(unchecked: offset)
    }

    @usableFromInline
    func byte(unchecked offset: Int) -> UInt8 {
        storage.base.unsafelyUnwrapped.load(fromByteOffset: start &+ offset, as: UInt8.self)
    }

    /// The byte at `offset`, or nil when `offset` is outside the view.
    @inlinable
    public func byte(at offset: Int) -> UInt8? {
        guard offset >= 0, offset < count else { return nil }
        return byte(unchecked: offset)
    }

    /// The sub-view of `length` bytes starting at `offset`, or nil when any part lies outside.
    public func slice(offset: Int, length: Int) -> ByteView? {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else { return nil }
        return ByteView(storage: storage, start: start + offset, count: length)
    }

    /// The sub-view from `offset` to the end, or nil when `offset` lies outside.
    public func suffix(from offset: Int) -> ByteView? {
        guard offset >= 0, offset <= count else { return nil }
        return slice(offset: offset, length: count - offset)
    }

    /// A little-endian unsigned integer of `T`'s width at `offset`, or nil when it does not fit.
    @inlinable
    public func loadLittleEndian<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, at offset: Int) -> T? {
        let width = T.bitWidth / 8
        guard offset >= 0, width <= count, offset <= count - width else { return nil }
        return withUnsafeBytes { raw in
            T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
    }

    /// Whether the view starts with `prefix`.
    public func starts<C: Collection>(with prefix: C) -> Bool where C.Element == UInt8 {
        guard prefix.count <= count else { return false }
        var offset = 0
        for expected in prefix {
            if byte(unchecked: offset) != expected { return false }
            offset += 1
        }
        return true
    }

    /// Calls `body` with the raw bytes of the view. The pointer is valid only inside `body`.
    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(rawBuffer)
    }

    @usableFromInline
    var rawBuffer: UnsafeRawBufferPointer {
        guard let base = storage.base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + start, count: count)
    }

    /// A copy of the bytes as an array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }
}

extension ByteView: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public func index(after i: Int) -> Int { i + 1 }
    public func index(before i: Int) -> Int { i - 1 }
}

extension ByteView: Equatable {
    /// Two views are equal when they hold the same bytes.
    public static func == (lhs: ByteView, rhs: ByteView) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in a.elementsEqual(b) } }
    }
}

extension ByteView: CustomStringConvertible {
    public var description: String { "ByteView(\(count) bytes)" }
}
