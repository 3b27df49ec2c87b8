/// RFC 6901 JSON pointers for error locations and duplicate-key reports.
enum JSONPointer {
    /// The mark ending a pointer cut at its byte budget.
    private static let ellipsis = Array("…".utf8)
    private static let escapedTilde = Array("~0".utf8)
    private static let escapedSlash = Array("~1".utf8)

    /// Appends `/` and `component` with `~` written `~0` and `/` written `~1` (RFC 6901 section 3).
    static func appendComponent(_ component: String, to bytes: inout [UInt8]) {
        bytes.append(ASCII.slash)
        for byte in component.utf8 {
            switch byte {
            case ASCII.tilde: bytes.append(contentsOf: escapedTilde)
            case ASCII.slash: bytes.append(contentsOf: escapedSlash)
            default: bytes.append(byte)
            }
        }
    }

    /// The pointer text, cut to at most `budget` bytes at a character boundary and ended with "…".
    static func truncated(_ bytes: [UInt8], to budget: Int) -> String {
        guard bytes.count > budget else { return String(decoding: bytes, as: UTF8.self) }
        var cut = max(0, budget - ellipsis.count)
        while cut > 0, UTF8Validator.isContinuation(bytes[cut]) { cut -= 1 }
        return String(decoding: bytes[..<cut] + ellipsis, as: UTF8.self)
    }
}
