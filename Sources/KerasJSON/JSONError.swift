import KerasBytes

/// Why a JSON document was rejected, with where it happened.
///
/// Two errors are equal when their codes are equal; tests compare codes, never the reason text.
/// Positions follow Python's `JSONDecodeError`: `line` counts `\n` from 1, `column` counts Unicode
/// code points from 1 after the last `\n` (a UTF-8 byte order mark is not counted), so the pair
/// matches the `lineno`/`colno` CPython reports for the same bytes.
public struct JSONError: ReaderError, Equatable {
    /// The stable code.
    public let code: ErrorCode
    /// A human sentence on what was wrong, with the values seen.
    public let reason: String
    /// The offset of the offending byte in the input (the byte order mark included).
    public let byteOffset: Int
    /// The line of the offending byte, from 1.
    public let line: Int
    /// The column of the offending byte in code points, from 1.
    public let column: Int
    /// The JSON pointer of the innermost container open when parsing stopped ("" is the root
    /// container), or nil when no container was open. Long pointers are cut (``JSONLimits/maxPointerBytes``).
    public let pointer: String?

    /// Creates an error; the reader fills the position in.
    public init(code: ErrorCode, reason: String, byteOffset: Int, line: Int, column: Int, pointer: String?) {
        self.code = code
        self.reason = reason
        self.byteOffset = byteOffset
        self.line = line
        self.column = column
        self.pointer = pointer
    }

    /// `line 3, column 14 (byte 57)`, followed by ` in /layers/0/config` when a container was open.
    public var location: String {
        let position = "line \(line), column \(column) (byte \(byteOffset))"
        guard let pointer else { return position }
        return pointer.isEmpty ? "\(position) in the root container" : "\(position) in \(pointer)"
    }

    /// Errors are equal when their codes are; the reason and the position do not count.
    public static func == (lhs: JSONError, rhs: JSONError) -> Bool { lhs.code == rhs.code }
}
