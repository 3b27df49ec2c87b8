import CHDF5
import Synchronization

/// The one process-wide lock around libhdf5, shared by ``HDF5Writer`` and the test oracle.
///
/// Debian's libhdf5 is built thread-safe, but its error-stack settings are per thread and the
/// high-level library (`H5LT`) is not thread-safe at all, while Swift Testing runs tests in
/// parallel. Every sequence of libhdf5 calls that belongs together (one writer call, one oracle
/// read) therefore runs inside ``withLock(_:)``. libhdf5 is only ever given trusted data here.
public enum HDF5Library {
    private static let mutex = Mutex<Void>(())

    /// Runs `body` holding the lock, with libhdf5's automatic error printing turned off on this
    /// thread and the thread's error stack cleared. Not reentrant: `body` must not call it again.
    public static func withLock<Result: Sendable, Failure: Error>(
        _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try mutex.withLock { _ throws(Failure) -> Result in
            _ = kc_H5Eset_auto_off()
            _ = H5Eclear2(kc_H5E_DEFAULT())
            return try body()
        }
    }

    /// A number unique in this process, for naming in-memory files (libhdf5 reuses an open file of
    /// the same name). Call it inside ``withLock(_:)`` or outside; it takes no libhdf5 lock.
    static func nextFileNumber() -> UInt64 {
        counter.add(1, ordering: .relaxed).newValue
    }

    private static let counter = Atomic<UInt64>(0)

    /// The calling thread's libhdf5 error stack as one line per frame, outermost call first, then
    /// clears it. Call inside ``withLock(_:)`` right after the failing call.
    public static func takeErrorStack() -> String {
        let lines = ErrorLines()
        let context = Unmanaged.passUnretained(lines).toOpaque()
        _ = withExtendedLifetime(lines) {
            H5Ewalk2(kc_H5E_DEFAULT(), H5E_WALK_DOWNWARD, { index, entry, context in
                guard let entry, let context else { return 0 }
                let lines = Unmanaged<ErrorLines>.fromOpaque(context).takeUnretainedValue()
                let error = entry.pointee
                let function = error.func_name.map { String(cString: $0) } ?? "?"
                let detail = error.desc.map { String(cString: $0) } ?? ""
                let major = HDF5Library.message(error.maj_num)
                let minor = HDF5Library.message(error.min_num)
                lines.items.append("#\(index) \(function): \(detail) (\(major): \(minor))")
                return 0
            }, context)
        }
        _ = H5Eclear2(kc_H5E_DEFAULT())
        return lines.items.isEmpty ? "(libhdf5 left no error stack)" : lines.items.joined(separator: "\n")
    }

    private static func message(_ id: hid_t) -> String {
        var buffer = [CChar](repeating: 0, count: messageCapacity)
        let length = H5Eget_msg(id, nil, &buffer, messageCapacity)
        guard length > 0 else { return "?" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Longest libhdf5 error message kept (its own messages are under 100 characters).
    private static let messageCapacity = 256

    private final class ErrorLines {
        var items: [String] = []
    }
}
