/// Writes JSON byte for byte as CPython 3.11's `json.dumps` does with default arguments
/// (`ensure_ascii=True`, `allow_nan=True`, separators `", "` and `": "`), or with the `indent`,
/// `sort_keys` and `ensure_ascii` options of ``Options``.
///
/// For any value read by ``JSONReader``, `dumps(parse(x))` equals Python's
/// `json.dumps(json.loads(x))`: `1.50` becomes `1.5`, `1E5` `100000.0`, `-0` `0`, `1e400` `Infinity`.
/// The writer recurses once per nesting level; values from the reader are at most
/// ``JSONLimits/maxDepth`` deep.
public enum JSONWriter {
    /// `json.dumps(value)` with the given options, as a string.
    public static func dumps(_ value: JSONValue, options: Options = Options()) -> String {
        String(decoding: dumpBytes(value, options: options), as: UTF8.self)
    }

    /// `json.dumps(value).encode("utf-8")` with the given options.
    public static func dumpBytes(_ value: JSONValue, options: Options = Options()) -> [UInt8] {
        var encoder = Encoder(options: options)
        encoder.write(value, level: 0)
        return encoder.bytes
    }

    private static let nan = Array("NaN".utf8)
    private static let infinity = Array("Infinity".utf8)
    private static let negativeInfinity = Array("-Infinity".utf8)
    private static let null = Array("null".utf8)
    private static let `true` = Array("true".utf8)
    private static let `false` = Array("false".utf8)
    private static let twoByteLeadMask: UInt8 = 0b1110_0000
    private static let twoByteLead: UInt8 = 0b1100_0000
    private static let threeByteLeadMask: UInt8 = 0b1111_0000
    private static let threeByteLead: UInt8 = 0b1110_0000
    private static let continuationBits: UInt8 = 0b0011_1111
    private static let basicMultilingualPlaneEnd: UInt32 = 0xFFFF

    /// Appends a number as Python writes `int` and `float` (`float.__repr__`, `NaN`, `Infinity`).
    static func appendNumber(_ number: JSONNumber, to bytes: inout [UInt8]) {
        switch number.storage {
        case .integer(let value):
            bytes.append(contentsOf: String(value).utf8)
        case .bigInteger(let text):
            bytes.append(contentsOf: text.utf8)
        case .float(let value):
            if value.isNaN {
                bytes.append(contentsOf: nan)
            } else if value.isInfinite {
                bytes.append(contentsOf: value < 0 ? negativeInfinity : infinity)
            } else {
                PythonFloatFormatter.append(value, to: &bytes)
            }
        }
    }

    /// Appends a quoted string as `py_encode_basestring_ascii` (or `py_encode_basestring` when
    /// `ensureASCII` is false) writes it.
    static func appendString(_ string: String, ensureASCII: Bool, to bytes: inout [UInt8]) {
        bytes.append(ASCII.quote)
        let done: Void? = string.utf8.withContiguousStorageIfAvailable {
            appendEscaped($0, ensureASCII: ensureASCII, to: &bytes)
        }
        if done == nil {
            Array(string.utf8).withUnsafeBufferPointer { appendEscaped($0, ensureASCII: ensureASCII, to: &bytes) }
        }
        bytes.append(ASCII.quote)
    }

    private static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, ensureASCII: Bool, to bytes: inout [UInt8]) {
        // Lib/json/encoder.py ESCAPE_ASCII / ESCAPE and ESCAPE_DCT.
        var index = 0
        while index < utf8.count {
            let runStart = index
            while index < utf8.count, isPlain(utf8[index]) { index += 1 }
            if index > runStart {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                if index == utf8.count { break }
            }
            let byte = utf8[index]
            if byte < ASCII.firstNonASCII {
                if let letter = shortEscape(byte) {
                    bytes.append(ASCII.backslash)
                    bytes.append(letter)
                } else if byte < ASCII.firstNonControl || (ensureASCII && byte == ASCII.delete) {
                    UnicodeEscape.appendEscape(UInt32(byte), to: &bytes)
                } else {
                    bytes.append(byte)
                }
                index += 1
                continue
            }
            let length = byte & twoByteLeadMask == twoByteLead ? 2 : byte & threeByteLeadMask == threeByteLead ? 3 : 4
            guard ensureASCII else {
                bytes.append(contentsOf: utf8[index..<min(index + length, utf8.count)])
                index += length
                continue
            }
            var scalar = UInt32(byte) & (UInt32(0xFF) >> (length + 1))
            for offset in 1..<length where index + offset < utf8.count {
                scalar = scalar << 6 | UInt32(utf8[index + offset] & continuationBits)
            }
            if scalar > basicMultilingualPlaneEnd {
                let (lead, trail) = UnicodeEscape.split(scalar)
                UnicodeEscape.appendEscape(lead, to: &bytes)
                UnicodeEscape.appendEscape(trail, to: &bytes)
            } else {
                UnicodeEscape.appendEscape(scalar, to: &bytes)
            }
            index += length
        }
    }

    /// The letter after the backslash of Python's two-character escapes (`ESCAPE_DCT`), or nil.
    @inline(__always)
    private static func shortEscape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case ASCII.quote, ASCII.backslash: return byte
        case ASCII.newline: return ASCII.lowerN
        case ASCII.carriageReturn: return ASCII.lowerR
        case ASCII.tab: return ASCII.lowerT
        case ASCII.backspace: return ASCII.lowerB
        case ASCII.formFeed: return ASCII.lowerF
        default: return nil
        }
    }

    /// Printable ASCII other than the quote and the backslash, written as is in every mode.
    @inline(__always)
    private static func isPlain(_ byte: UInt8) -> Bool {
        byte >= ASCII.firstNonControl && byte < ASCII.delete && byte != ASCII.quote && byte != ASCII.backslash
    }

    private struct Encoder {
        var bytes: [UInt8] = []
        let options: Options
        let itemSeparator: [UInt8]
        let keySeparator = Array(": ".utf8)

        init(options: Options) {
            self.options = options
            itemSeparator = options.indent == nil ? Array(", ".utf8) : [ASCII.comma]
        }

        mutating func write(_ value: JSONValue, level: Int) {
            // Lib/json/encoder.py _make_iterencode: _iterencode, _iterencode_list, _iterencode_dict.
            switch value {
            case .null: bytes.append(contentsOf: JSONWriter.null)
            case .bool(let flag): bytes.append(contentsOf: flag ? JSONWriter.true : JSONWriter.false)
            case .number(let number): JSONWriter.appendNumber(number, to: &bytes)
            case .string(let string): JSONWriter.appendString(string, ensureASCII: options.ensureASCII, to: &bytes)
            case .array(let elements):
                guard !elements.isEmpty else {
                    bytes.append(ASCII.openBracket)
                    bytes.append(ASCII.closeBracket)
                    return
                }
                bytes.append(ASCII.openBracket)
                elements.withUnsafeBufferPointer { buffer in
                    for position in buffer.indices {
                        if position > 0 { bytes.append(contentsOf: itemSeparator) }
                        newline(level: level + 1)
                        write(buffer[position], level: level + 1)
                    }
                }
                newline(level: level)
                bytes.append(ASCII.closeBracket)
            case .object(let object):
                guard !object.isEmpty else {
                    bytes.append(ASCII.openBrace)
                    bytes.append(ASCII.closeBrace)
                    return
                }
                bytes.append(ASCII.openBrace)
                var members = object.members
                if options.sortKeys {
                    members.sort { ExactString.less($0.key, $1.key) }
                }
                members.withUnsafeBufferPointer { buffer in
                    for position in buffer.indices {
                        if position > 0 { bytes.append(contentsOf: itemSeparator) }
                        newline(level: level + 1)
                        JSONWriter.appendString(buffer[position].key, ensureASCII: options.ensureASCII, to: &bytes)
                        bytes.append(contentsOf: keySeparator)
                        write(buffer[position].value, level: level + 1)
                    }
                }
                newline(level: level)
                bytes.append(ASCII.closeBrace)
            }
        }

        /// A newline and the indentation of `level`, when indenting.
        private mutating func newline(level: Int) {
            guard let indent = options.indent else { return }
            bytes.append(ASCII.newline)
            let spaces = max(0, indent) * level
            for _ in 0..<spaces { bytes.append(ASCII.space) }
        }
    }
}
