import KerasBytes

/// An error of the HDF5 reader: a stable code, a sentence with the values seen, and where.
///
/// Equality compares the code only, so tests and callers match on codes, never on message text.
public struct HDF5Error: ReaderError, Equatable {
    /// The stable code (one of ``Code``), also the rule id of the finding that reports it.
    public let code: ErrorCode
    /// What was wrong, with the values seen.
    public let reason: String
    /// The file address (relative to the base address) of the structure that was being read.
    public let address: UInt64?
    /// The HDF5 path of the object that was being read, when known.
    public let path: String?

    /// An error with its code, reason and location.
    public init(_ code: ErrorCode, _ reason: String, address: UInt64? = nil, path: String? = nil) {
        self.code = code
        self.reason = reason
        self.address = address
        self.path = path
    }

    /// `0x1a8 in /layers/dense/vars`, `0x1a8`, `/layers/dense/vars` or empty.
    public var location: String {
        let hex = address.map { "0x" + String($0, radix: 16) }
        switch (hex, path) {
        case let (hex?, path?): return "\(hex) in \(path)"
        case let (hex?, nil): return hex
        case let (nil, path?): return path
        case (nil, nil): return ""
        }
    }

    /// The same error with `path` filled in when it had none.
    func within(_ objectPath: String) -> HDF5Error {
        path == nil ? HDF5Error(code, reason, address: address, path: objectPath) : self
    }

    public static func == (lhs: HDF5Error, rhs: HDF5Error) -> Bool { lhs.code == rhs.code }
}
