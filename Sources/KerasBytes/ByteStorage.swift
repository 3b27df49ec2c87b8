#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns the memory behind one or more ``ByteView``s: a heap copy or a read-only file mapping.
///
/// The memory is immutable for the storage's whole life, which is what makes sharing views across
/// threads safe.
final class ByteStorage: @unchecked Sendable {
    let base: UnsafeRawPointer?
    let count: Int
    private let release: @Sendable (UnsafeMutableRawPointer, Int) -> Void

    init(base: UnsafeRawPointer?, count: Int, release: @escaping @Sendable (UnsafeMutableRawPointer, Int) -> Void) {
        self.base = base
        self.count = count
        self.release = release
    }

    deinit {
        if let base { release(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// A heap copy of `bytes`.
    static func copying<C: Collection>(_ bytes: C) -> ByteStorage where C.Element == UInt8 {
        let count = bytes.count
        guard count > 0 else { return ByteStorage(base: nil, count: 0, release: { _, _ in }) }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 16)
        let typed = UnsafeMutableRawBufferPointer(start: memory, count: count)
        typed.copyBytes(from: bytes)
        return ByteStorage(base: UnsafeRawPointer(memory), count: count, release: { pointer, _ in pointer.deallocate() })
    }

    /// A private read-only mapping of the file at `path`.
    static func mapping(path: String) throws(ByteViewError) -> ByteStorage {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ByteViewError(kind: .cannotOpen, path: path, errno: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ByteViewError(kind: .cannotOpen, path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ByteViewError(kind: .notARegularFile, path: path, errno: 0) }
        guard let size = Int(exactly: info.st_size), size >= 0 else {
            throw ByteViewError(kind: .cannotMap, path: path, errno: 0)
        }
        if size == 0 { return ByteStorage(base: nil, count: 0, release: { _, _ in }) }
        let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let mapped, mapped != MAP_FAILED else { throw ByteViewError(kind: .cannotMap, path: path, errno: errno) }
        return ByteStorage(base: UnsafeRawPointer(mapped), count: size, release: { pointer, length in
            _ = munmap(pointer, length)
        })
    }
}

/// Why a file could not be turned into a ``ByteView``.
public struct ByteViewError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// `open` or `fstat` failed (missing file, no permission).
        case cannotOpen
        /// The path names a directory, device or other non-regular file.
        case notARegularFile
        /// `mmap` failed or the size does not fit in memory.
        case cannotMap
    }

    /// What went wrong.
    public let kind: Kind
    /// The path that was opened.
    public let path: String
    /// The C `errno` observed, or 0.
    public let errno: Int32

    public var description: String {
        let detail = errno != 0 ? String(cString: strerror(errno)) : kind.rawValue
        return "\(path): \(detail)"
    }
}
