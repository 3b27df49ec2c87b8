#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why ``ZipWriter`` could not produce an archive: libzip's message, or the failing system call.
public struct ZipWriteError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What was being done and what went wrong, with libzip's or the system's own words.
    public let message: String
    /// libzip's error code (`ZIP_ER_*`), or the `errno` of a failed system call, or 0.
    public let code: Int32

    /// An error with `message` and `code`.
    public init(_ message: String, code: Int32 = 0) {
        self.message = message
        self.code = code
    }

    public var description: String { message }
}

extension ZipWriteError {
    /// An error for a failed system call, with `strerror(errno)`.
    static func system(_ action: String) -> ZipWriteError {
        let code = errno
        return ZipWriteError("\(action): \(String(cString: strerror(code)))", code: code)
    }
}
