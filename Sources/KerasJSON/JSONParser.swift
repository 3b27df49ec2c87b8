import KerasBytes

/// One parse of Python-dialect JSON over UTF-8 that ``UTF8Validator`` has already checked.
///
/// The grammar and every error position follow CPython 3.11's C scanner (`Modules/_json.c`:
/// `scan_once_unicode`, `_parse_array_unicode`, `_parse_object_unicode`, `scanstring_unicode`,
/// `_match_number_unicode`). Nesting uses explicit stacks instead of recursion: open containers
/// are `frames`, their finished children wait on `values` and `keys` until the container closes.
struct JSONParser {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    private let contentStart: Int
    private let limits: JSONLimits
    private var position: Int

    private struct Frame {
        let isObject: Bool
        /// Where this container's children start on `values`.
        let valueStart: Int
        /// Where this object's keys start on `keys`.
        let keyStart: Int
    }

    private var frames: [Frame] = []
    private let values = MoveStack<JSONValue>()
    private let keys = MoveStack<String>()
    private var valueCount = 0
    private var scratch: [UInt8] = []
    /// The first surrogate Python accepts but a `String` cannot hold. It is reported only once the
    /// document has otherwise parsed, so that every error CPython raises takes precedence, as there.
    private var pendingSurrogate: (code: ErrorCode, offset: Int)?
    private(set) var duplicateKeys: [String] = []
    private(set) var duplicateKeyCount = 0

    init(base: UnsafePointer<UInt8>, end: Int, contentStart: Int, limits: JSONLimits, encodedSurrogateOffset: Int?) {
        self.base = base
        self.end = end
        self.contentStart = contentStart
        self.limits = limits
        self.position = contentStart
        if let encodedSurrogateOffset {
            pendingSurrogate = (JSONError.Code.encodedSurrogate, encodedSurrogateOffset)
        }
    }

    // MARK: Document

    /// The document: whitespace, one value, whitespace, the end of the input.
    mutating func parseDocument() throws(JSONError) -> JSONValue {
        // Lib/json/decoder.py JSONDecoder.decode and raw_decode.
        skipWhitespace()
        guard position < end else {
            throw failure(JSONError.Code.emptyInput, "the input holds no JSON value", at: position)
        }
        let value = try parseValue()
        skipWhitespace()
        guard position == end else {
            throw failure(JSONError.Code.trailingData, "\(describe(position)) follows the top-level value", at: position)
        }
        if let pendingSurrogate {
            let reason = pendingSurrogate.code == JSONError.Code.encodedSurrogate
                ? "a string holds a UTF-8-encoded surrogate code point, which Python keeps but a Swift String cannot"
                : "a \\u escape yields an unpaired surrogate, which Python keeps but a Swift String cannot"
            throw failure(pendingSurrogate.code, reason, at: pendingSurrogate.offset, pointer: nil)
        }
        return value
    }

    /// One value and everything nested in it, at `position` (whitespace already skipped).
    private mutating func parseValue() throws(JSONError) -> JSONValue {
        // _json.c scan_once_unicode, _parse_array_unicode, _parse_object_unicode.
        var value: JSONValue
        nextValue: while true {
            guard position < end else {
                throw failure(JSONError.Code.expectedValue, "expected a value, found the end of the input", at: position)
            }
            try countValue(at: position)
            let byte = base[position]
            switch byte {
            case ASCII.openBracket, ASCII.openBrace:
                let isObject = byte == ASCII.openBrace
                guard frames.count < limits.maxDepth else {
                    throw failure(JSONError.Code.depthLimitExceeded,
                                  "containers are nested deeper than the limit of \(limits.maxDepth)", at: position)
                }
                position += 1
                skipWhitespace()
                if position < end, base[position] == (isObject ? ASCII.closeBrace : ASCII.closeBracket) {
                    position += 1
                    value = isObject ? .object(JSONObject()) : .array([])
                } else {
                    frames.append(Frame(isObject: isObject, valueStart: values.count, keyStart: keys.count))
                    if isObject { try parseKeyAndColon() }
                    continue nextValue
                }
            case ASCII.quote:
                value = .string(try parseString())
            default:
                value = try parseScalar()
            }
            while let top = frames.last {
                values.push(value)
                skipWhitespace()
                if position < end, base[position] == (top.isObject ? ASCII.closeBrace : ASCII.closeBracket) {
                    position += 1
                    value = top.isObject ? .object(closeObject(top)) : .array(closeArray(top))
                    frames.removeLast()
                    continue
                }
                guard position < end, base[position] == ASCII.comma else {
                    let closer = top.isObject ? "}" : "]"
                    throw failure(JSONError.Code.expectedComma,
                                  "expected ',' or '\(closer)', found \(describe(position))", at: position)
                }
                position += 1
                skipWhitespace()
                if top.isObject { try parseKeyAndColon() }
                continue nextValue
            }
            return value
        }
    }

    /// A member's key and the ':' after it, leaving `position` at the member's value.
    private mutating func parseKeyAndColon() throws(JSONError) {
        // _json.c _parse_object_unicode: key, whitespace, ':', whitespace.
        guard position < end, base[position] == ASCII.quote else {
            throw failure(JSONError.Code.expectedPropertyName,
                          "expected a key in double quotes, found \(describe(position))", at: position)
        }
        try countValue(at: position)
        let key = try parseString()
        skipWhitespace()
        guard position < end, base[position] == ASCII.colon else {
            throw failure(JSONError.Code.expectedColon,
                          "expected ':' after a key, found \(describe(position))", at: position)
        }
        position += 1
        skipWhitespace()
        keys.push(key)
    }

    private mutating func closeArray(_ frame: Frame) -> [JSONValue] {
        values.popArray(from: frame.valueStart)
    }

    /// The object of the top frame, with Python `dict` semantics for repeated keys.
    private mutating func closeObject(_ frame: Frame) -> JSONObject {
        let memberCount = values.count - frame.valueStart
        let members = [JSONObject.Member](unsafeUninitializedCapacity: memberCount) { buffer, initialized in
            for member in 0..<memberCount {
                let key = keys.take(at: frame.keyStart + member)
                let value = values.take(at: frame.valueStart + member)
                buffer.initializeElement(at: member, to: JSONObject.Member(key: key, value: value))
            }
            initialized = memberCount
        }
        keys.forgetMoved(from: frame.keyStart)
        values.forgetMoved(from: frame.valueStart)
        var reported: Set<ExactString> = []
        return JSONObject(parsed: members) { key in
            duplicateKeyCount += 1
            if duplicateKeys.count < limits.maxReportedDuplicateKeys, reported.insert(ExactString(key)).inserted {
                duplicateKeys.append(pointer(toFrame: frames.count - 1, thenKey: key))
            }
        }
    }

    private mutating func countValue(at offset: Int) throws(JSONError) {
        valueCount += 1
        guard valueCount <= limits.maxValues else {
            throw failure(JSONError.Code.tooManyValues,
                          "the document holds more than \(limits.maxValues) values and keys", at: offset)
        }
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < end, ASCII.isWhitespace(base[position]) {
            position += 1
        }
    }

    // MARK: Scalars

    /// A literal or a number at `position`.
    private mutating func parseScalar() throws(JSONError) -> JSONValue {
        // _json.c scan_once_unicode: the named constants, then _match_number_unicode.
        switch base[position] {
        case ASCII.lowerN where matches(ASCII.null):
            position += ASCII.null.count
            return .null
        case ASCII.lowerT where matches(ASCII.true):
            position += ASCII.true.count
            return .bool(true)
        case ASCII.lowerF where matches(ASCII.false):
            position += ASCII.false.count
            return .bool(false)
        case ASCII.upperN where matches(ASCII.nan):
            position += ASCII.nan.count
            return .number(.nan)
        case ASCII.upperI where matches(ASCII.infinity):
            position += ASCII.infinity.count
            return .number(.infinity)
        case ASCII.minus where matches(ASCII.negativeInfinity):
            position += ASCII.negativeInfinity.count
            return .number(.negativeInfinity)
        default:
            return .number(try parseNumber())
        }
    }

    private func matches(_ literal: [UInt8]) -> Bool {
        guard end - position >= literal.count else { return false }
        for (offset, byte) in literal.enumerated() where base[position + offset] != byte {
            return false
        }
        return true
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, matched greedily with backtracking of the
    /// optional parts: `01` reads `0` and `1e+` reads `1`, leaving the rest to fail as Python does.
    private mutating func parseNumber() throws(JSONError) -> JSONNumber {
        // _json.c _match_number_unicode; Python int() and float() for the conversion.
        let start = position
        var index = start
        if base[index] == ASCII.minus { index += 1 }
        guard index < end else { throw expectedValue(at: start) }
        if base[index] == ASCII.zero {
            index += 1
        } else if ASCII.isDigit(base[index]) {
            index += 1
            while index < end, ASCII.isDigit(base[index]) { index += 1 }
        } else {
            throw expectedValue(at: start)
        }
        let integerEnd = index
        var isFloat = false
        if index + 1 < end, base[index] == ASCII.dot, ASCII.isDigit(base[index + 1]) {
            isFloat = true
            index += 2
            while index < end, ASCII.isDigit(base[index]) { index += 1 }
        }
        if index + 1 < end, base[index] == ASCII.lowerE || base[index] == ASCII.upperE {
            let exponentStart = index
            index += 1
            if index + 1 < end, base[index] == ASCII.minus || base[index] == ASCII.plus { index += 1 }
            while index < end, ASCII.isDigit(base[index]) { index += 1 }
            if ASCII.isDigit(base[index - 1]) {
                isFloat = true
            } else {
                index = exponentStart
            }
        }
        position = index
        let lexeme = UnsafeBufferPointer(start: base + start, count: index - start)
        if isFloat {
            return JSONNumber(FloatParser.parse(lexeme))
        }
        let digitCount = integerEnd - start - (base[start] == ASCII.minus ? 1 : 0)
        guard digitCount <= limits.maxIntegerDigits else {
            throw failure(JSONError.Code.integerTooLong,
                          "an integer has \(digitCount) digits, more than the limit of \(limits.maxIntegerDigits)",
                          at: start)
        }
        return JSONNumber.integer(lexeme: lexeme)
    }

    private func expectedValue(at offset: Int) -> JSONError {
        failure(JSONError.Code.expectedValue, "expected a value, found \(describe(offset))", at: offset)
    }

    // MARK: Strings

    /// The string whose opening quote is at `position`.
    private mutating func parseString() throws(JSONError) -> String {
        // _json.c scanstring_unicode with strict=True.
        let quote = position
        let start = quote + 1
        var index = scanPlainRun(from: start)
        guard index < end else { throw unterminatedString(quote) }
        if base[index] == ASCII.quote {
            try checkStringLength(index - start, quote: quote)
            position = index + 1
            return String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: index - start))
        while true {
            if base[index] < ASCII.firstNonControl {
                throw failure(JSONError.Code.controlCharacterInString,
                              "control character U+00\(hex(base[index])) must be escaped in a string", at: index)
            }
            index = try decodeEscape(at: index, quote: quote)
            let runStart = index
            index = scanPlainRun(from: runStart)
            guard index < end else { throw unterminatedString(quote) }
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: index - runStart))
            if base[index] == ASCII.quote {
                try checkStringLength(index - start, quote: quote)
                position = index + 1
                return String(decoding: scratch, as: UTF8.self)
            }
        }
    }

    /// The index of the first quote, backslash or control byte at or after `index`, or `end`.
    @inline(__always)
    private func scanPlainRun(from index: Int) -> Int {
        var index = index
        let raw = UnsafeRawPointer(base)
        while end - index >= SWAR.wordSize {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if SWAR.hasByte(below: ASCII.firstNonControl, in: word) || SWAR.hasByte(ASCII.quote, in: word)
                || SWAR.hasByte(ASCII.backslash, in: word) { break }
            index += SWAR.wordSize
        }
        while index < end {
            let byte = base[index]
            if byte == ASCII.quote || byte == ASCII.backslash || byte < ASCII.firstNonControl { break }
            index += 1
        }
        return index
    }

    private func checkStringLength(_ length: Int, quote: Int) throws(JSONError) {
        guard length <= limits.maxStringBytes else {
            throw failure(JSONError.Code.stringTooLong,
                          "a string spans \(length) bytes, more than the limit of \(limits.maxStringBytes)", at: quote)
        }
    }

    private func unterminatedString(_ quote: Int) -> JSONError {
        failure(JSONError.Code.unterminatedString, "the string starting here is not closed", at: quote)
    }

    /// Decodes the escape whose backslash is at `backslash` into `scratch`; returns the index after it.
    private mutating func decodeEscape(at backslash: Int, quote: Int) throws(JSONError) -> Int {
        // _json.c scanstring_unicode: one-character escapes, \uXXXX, surrogate pairs.
        let index = backslash + 1
        guard index < end else { throw unterminatedString(quote) }
        let letter = base[index]
        if letter != ASCII.lowerU {
            let decoded: UInt8
            switch letter {
            case ASCII.quote, ASCII.backslash, ASCII.slash: decoded = letter
            case ASCII.lowerB: decoded = ASCII.backspace
            case ASCII.lowerF: decoded = ASCII.formFeed
            case ASCII.lowerN: decoded = ASCII.newline
            case ASCII.lowerR: decoded = ASCII.carriageReturn
            case ASCII.lowerT: decoded = ASCII.tab
            default:
                throw failure(JSONError.Code.invalidEscape, "\\\(describeBare(index)) is not a JSON escape", at: backslash)
            }
            scratch.append(decoded)
            return index + 1
        }
        let hexEnd = index + UnicodeEscape.hexDigits + 1
        guard hexEnd < end, let unit = hexUnit(at: index + 1) else { throw invalidUnicodeEscape(at: index) }
        var next = hexEnd
        var scalar = unit
        if UTF16.isLeadSurrogate(UInt16(unit)), hexEnd + UnicodeEscape.length < end,
           base[hexEnd] == ASCII.backslash, base[hexEnd + 1] == ASCII.lowerU {
            guard let low = hexUnit(at: hexEnd + 2) else { throw invalidUnicodeEscape(at: hexEnd + 1) }
            if UTF16.isTrailSurrogate(UInt16(low)) {
                scalar = UnicodeEscape.join(lead: unit, trail: low)
                next = hexEnd + UnicodeEscape.length
            }
        }
        if Unicode.Scalar(scalar) != nil {
            UnicodeEscape.appendUTF8(scalar, to: &scratch)
        } else if (pendingSurrogate?.offset ?? Int.max) > backslash {
            pendingSurrogate = (JSONError.Code.loneSurrogateEscape, backslash)
        }
        return next
    }

    private func hexUnit(at index: Int) -> UInt32? {
        var unit: UInt32 = 0
        for offset in 0..<UnicodeEscape.hexDigits {
            guard let digit = ASCII.hexValue(base[index + offset]) else { return nil }
            unit = unit << 4 | digit
        }
        return unit
    }

    private func invalidUnicodeEscape(at letter: Int) -> JSONError {
        failure(JSONError.Code.invalidUnicodeEscape, "\\u must be followed by four hexadecimal digits", at: letter)
    }

    // MARK: Errors

    /// An error at `offset` with Python's line and column and the pointer of the open container.
    private func failure(_ code: ErrorCode, _ reason: String, at offset: Int) -> JSONError {
        failure(code, reason, at: offset, pointer: frames.isEmpty ? nil : pointer(toFrame: frames.count - 1, thenKey: nil))
    }

    private func failure(_ code: ErrorCode, _ reason: String, at offset: Int, pointer: String?) -> JSONError {
        let (line, column) = JSONParser.lineAndColumn(base: base, contentStart: contentStart, offset: offset)
        return JSONError(code: code, reason: reason, byteOffset: offset, line: line, column: column, pointer: pointer)
    }

    /// Python's `lineno` and `colno` of the character at byte `offset`: lines split at `\n` only,
    /// columns count code points (the first byte of each UTF-8 sequence).
    static func lineAndColumn(base: UnsafePointer<UInt8>, contentStart: Int, offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = contentStart
        var index = contentStart
        while index < offset {
            if base[index] == ASCII.newline {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        var column = 1
        index = lineStart
        while index < offset {
            if !UTF8Validator.isContinuation(base[index]) { column += 1 }
            index += 1
        }
        return (line, column)
    }

    /// The pointer of the container `frames[depth]`, then `key` when given, cut at `maxPointerBytes`.
    private func pointer(toFrame depth: Int, thenKey key: String?) -> String {
        var bytes: [UInt8] = []
        let budget = max(0, limits.maxPointerBytes)
        var level = 0
        while level < depth, bytes.count <= budget {
            let parent = frames[level]
            let child = frames[level + 1]
            if parent.isObject {
                JSONPointer.appendComponent(keys.peek(at: child.keyStart - 1), to: &bytes)
            } else {
                JSONPointer.appendComponent(String(child.valueStart - parent.valueStart), to: &bytes)
            }
            level += 1
        }
        if let key, bytes.count <= budget { JSONPointer.appendComponent(key, to: &bytes) }
        return JSONPointer.truncated(bytes, to: budget)
    }

    /// The byte at `offset` for a message: `'}'`, `byte 0xFF`, or `the end of the input`.
    private func describe(_ offset: Int) -> String {
        guard offset < end else { return "the end of the input" }
        let byte = base[offset]
        if byte > ASCII.space && byte < ASCII.delete { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(hex(byte))"
    }

    private func describeBare(_ offset: Int) -> String {
        let byte = base[offset]
        if byte > ASCII.space && byte < ASCII.delete { return String(Character(Unicode.Scalar(byte))) }
        return "(byte 0x\(hex(byte)))"
    }

    private func hex(_ byte: UInt8) -> String {
        String(decoding: [ASCII.hexDigits[Int(byte >> 4)], ASCII.hexDigits[Int(byte & 0xF)]], as: UTF8.self).uppercased()
    }
}
