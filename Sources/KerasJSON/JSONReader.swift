import KerasBytes

/// Reads JSON the way CPython 3.11's `json.loads(bytes)` does, strictly and within ``JSONLimits``.
///
/// The dialect: UTF-8 with an optional byte order mark; whitespace is space, tab, newline and
/// carriage return only; `NaN`, `Infinity` and `-Infinity` are numbers; integers keep every digit
/// (up to Python's 4300-digit limit); a repeated key keeps its first position and last value;
/// raw control characters in strings are errors; nothing may follow the value.
///
/// When Python raises, the error code corresponds to Python's message and the error sits at
/// Python's line and column (see ``JSONError/Code``). Known divergences, all rejections:
/// - UTF-16 and UTF-32 input, which Python detects and decodes: `unsupportedEncoding`.
/// - Unpaired surrogates, from a `\uD800` escape or encoded in UTF-8, which Python keeps in a `str`
///   and a Swift `String` cannot hold: `loneSurrogateEscape`, `encodedSurrogate`. They are reported
///   only when the rest of the document is valid, so that Python's own errors come first.
/// - The budgets of ``JSONLimits``; all but `maxIntegerDigits` (Python's own 4300-digit limit) are
///   ours, `maxDepth` (512) lies below the ~994 levels Python reaches.
public enum JSONReader {
    private static let utf8ByteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    private static let utf16ByteOrderMarks: [[UInt8]] = [[0xFE, 0xFF], [0xFF, 0xFE]]
    private static let utf32ByteOrderMarks: [[UInt8]] = [[0x00, 0x00, 0xFE, 0xFF], [0xFF, 0xFE, 0x00, 0x00]]
    /// Python's `detect_encoding` looks for NUL bytes among the first four bytes of inputs this long.
    private static let sniffLength = 4
    /// … and among the two bytes of a two-byte input.
    private static let shortSniffLength = 2

    /// The value of the JSON document in `bytes`.
    public static func parse(_ bytes: ByteView, limits: JSONLimits = JSONLimits()) throws(JSONError) -> JSONValue {
        try parseDocument(bytes, limits: limits).value
    }

    /// The value of the JSON document in the UTF-8 of `text`.
    public static func parse(_ text: String, limits: JSONLimits = JSONLimits()) throws(JSONError) -> JSONValue {
        try parse(ByteView(copying: Array(text.utf8)), limits: limits)
    }

    /// The document in `bytes`: its value, and the duplicate keys and byte order mark noticed.
    public static func parseDocument(
        _ bytes: ByteView, limits: JSONLimits = JSONLimits()
    ) throws(JSONError) -> JSONDocument {
        // Lib/json/__init__.py loads: detect_encoding, decode(..., 'surrogatepass'), JSONDecoder.decode.
        guard bytes.count <= limits.maxInputBytes else {
            throw JSONError(code: JSONError.Code.inputTooLarge,
                            reason: "the input has \(bytes.count) bytes, more than the limit of \(limits.maxInputBytes)",
                            byteOffset: 0, line: 1, column: 1, pointer: nil)
        }
        if let encoding = unsupportedEncoding(of: bytes) {
            throw JSONError(code: JSONError.Code.unsupportedEncoding,
                            reason: "the input looks like \(encoding) to Python's detect_encoding; only UTF-8 is read",
                            byteOffset: 0, line: 1, column: 1, pointer: nil)
        }
        let hasByteOrderMark = bytes.starts(with: utf8ByteOrderMark)
        let contentStart = hasByteOrderMark ? utf8ByteOrderMark.count : 0
        return try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws(JSONError) -> JSONDocument in
            let buffer = raw.bindMemory(to: UInt8.self)
            guard let base = buffer.baseAddress else {
                throw JSONError(code: JSONError.Code.emptyInput, reason: "the input holds no JSON value",
                                byteOffset: 0, line: 1, column: 1, pointer: nil)
            }
            let validation = UTF8Validator.validate(base, from: contentStart, to: buffer.count)
            if let invalid = validation.invalidOffset {
                let (line, column) = JSONParser.lineAndColumn(base: base, contentStart: contentStart, offset: invalid)
                let byte = String(base[invalid], radix: 16, uppercase: true)
                throw JSONError(code: JSONError.Code.invalidUTF8,
                                reason: "byte 0x\(byte) starts no valid UTF-8 sequence",
                                byteOffset: invalid, line: line, column: column, pointer: nil)
            }
            var parser = JSONParser(base: base, end: buffer.count, contentStart: contentStart, limits: limits,
                                    encodedSurrogateOffset: validation.firstSurrogateOffset)
            let value = try parser.parseDocument()
            return JSONDocument(value: value, duplicateKeys: parser.duplicateKeys,
                                duplicateKeyCount: parser.duplicateKeyCount, hasByteOrderMark: hasByteOrderMark)
        }
    }

    /// The encoding Python's `json.detect_encoding` would choose when it is not UTF-8, else nil.
    private static func unsupportedEncoding(of bytes: ByteView) -> String? {
        // Lib/json/__init__.py detect_encoding.
        if utf32ByteOrderMarks.contains(where: bytes.starts(with:)) { return "UTF-32 with a byte order mark" }
        if utf16ByteOrderMarks.contains(where: bytes.starts(with:)) { return "UTF-16 with a byte order mark" }
        if bytes.starts(with: utf8ByteOrderMark) { return nil }
        if bytes.count >= sniffLength {
            if bytes[0] == 0 { return bytes[1] != 0 ? "UTF-16-BE" : "UTF-32-BE" }
            if bytes[1] == 0 { return bytes[2] != 0 || bytes[3] != 0 ? "UTF-16-LE" : "UTF-32-LE" }
        } else if bytes.count == shortSniffLength {
            if bytes[0] == 0 || bytes[1] == 0 { return "UTF-16" }
        }
        return nil
    }
}
