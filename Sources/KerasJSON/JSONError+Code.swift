import KerasBytes

extension JSONError {
    /// Every code the JSON reader reports. Numbers are stable: never renumbered, never reused.
    ///
    /// The malformed codes correspond one to one to the messages of CPython 3.11's `json` module
    /// (named in each summary), so a rejected input gets the code matching Python's complaint.
    public enum Code {
        private static func code(
            _ number: Int, _ name: String, _ category: ErrorCategory, _ summary: String
        ) -> ErrorCode {
            ErrorCode(domain: "JSON", number: number, name: name, category: category, summary: summary)
        }

        /// The input holds no value: it is empty or only whitespace.
        public static let emptyInput = code(1, "emptyInput", .malformed,
            "The input is empty or only whitespace (Python: 'Expecting value').")
        /// A value was expected: a bad or truncated literal, a lone '-', a trailing comma in an array.
        public static let expectedValue = code(2, "expectedValue", .malformed,
            "A JSON value was expected here (Python: 'Expecting value').")
        /// An object member must start with a double-quoted key (also a trailing comma in an object).
        public static let expectedPropertyName = code(3, "expectedPropertyName", .malformed,
            "An object key in double quotes was expected (Python: 'Expecting property name enclosed in double quotes').")
        /// A key was not followed by ':'.
        public static let expectedColon = code(4, "expectedColon", .malformed,
            "':' was expected after an object key (Python: \"Expecting ':' delimiter\").")
        /// A member was not followed by ',' or the closing bracket.
        public static let expectedComma = code(5, "expectedComma", .malformed,
            "',' or the closing bracket was expected after a member (Python: \"Expecting ',' delimiter\").")
        /// The input ended inside a string.
        public static let unterminatedString = code(6, "unterminatedString", .malformed,
            "A string is not closed before the end of the input (Python: 'Unterminated string starting at').")
        /// A raw byte below 0x20 inside a string (Python's default strict=True).
        public static let controlCharacterInString = code(7, "controlCharacterInString", .malformed,
            "A control character U+0000..U+001F appears unescaped in a string (Python: 'Invalid control character at').")
        /// A backslash followed by a character that is not a JSON escape.
        public static let invalidEscape = code(8, "invalidEscape", .malformed,
            "A backslash is followed by a character that starts no escape (Python: 'Invalid \\escape').")
        /// `\u` not followed by four hex digits (and one more character, as CPython requires).
        public static let invalidUnicodeEscape = code(9, "invalidUnicodeEscape", .malformed,
            "\\u is not followed by four hexadecimal digits (Python: 'Invalid \\uXXXX escape').")
        /// Something other than whitespace follows the top-level value.
        public static let trailingData = code(10, "trailingData", .malformed,
            "Non-whitespace data follows the top-level value (Python: 'Extra data').")
        /// The bytes are not UTF-8.
        public static let invalidUTF8 = code(11, "invalidUTF8", .malformed,
            "The input is not valid UTF-8 (Python: UnicodeDecodeError).")
        /// A `\uXXXX` escape yields a surrogate without its partner: Python accepts it, a Swift String cannot hold it.
        public static let loneSurrogateEscape = code(12, "loneSurrogateEscape", .unsupported,
            "A \\uXXXX escape yields an unpaired surrogate; Python keeps it in a str, kconform cannot represent it.")
        /// A surrogate code point encoded directly in UTF-8 (ED A0..BF xx): Python decodes it with 'surrogatepass'.
        public static let encodedSurrogate = code(13, "encodedSurrogate", .unsupported,
            "A surrogate code point is encoded in UTF-8 inside a string; Python accepts it ('surrogatepass'), "
                + "kconform cannot represent it.")
        /// UTF-16 or UTF-32 input, which Python's `json.loads` detects and decodes.
        public static let unsupportedEncoding = code(14, "unsupportedEncoding", .unsupported,
            "The input is UTF-16 or UTF-32 by Python's detect_encoding; kconform reads UTF-8 only.")
        /// An integer with more digits than ``JSONLimits/maxIntegerDigits`` (Python 3.11: ValueError above 4300 digits).
        public static let integerTooLong = code(15, "integerTooLong", .limitExceeded,
            "An integer has more digits than the limit (Python 3.11 raises ValueError above 4300 digits).")
        /// Containers nested deeper than ``JSONLimits/maxDepth``.
        public static let depthLimitExceeded = code(16, "depthLimitExceeded", .limitExceeded,
            "Arrays and objects are nested deeper than the depth limit.")
        /// The input is larger than ``JSONLimits/maxInputBytes``.
        public static let inputTooLarge = code(17, "inputTooLarge", .limitExceeded,
            "The input is larger than the size limit.")
        /// A string spans more than ``JSONLimits/maxStringBytes`` input bytes.
        public static let stringTooLong = code(18, "stringTooLong", .limitExceeded,
            "A string is longer than the string limit.")
        /// More values and keys than ``JSONLimits/maxValues``.
        public static let tooManyValues = code(19, "tooManyValues", .limitExceeded,
            "The document holds more values and keys than the value limit.")

        /// Every code, in number order; the rule catalogue is built from this list.
        public static let all: [ErrorCode] = [
            emptyInput, expectedValue, expectedPropertyName, expectedColon, expectedComma,
            unterminatedString, controlCharacterInString, invalidEscape, invalidUnicodeEscape, trailingData,
            invalidUTF8, loneSurrogateEscape, encodedSurrogate, unsupportedEncoding, integerTooLong,
            depthLimitExceeded, inputTooLarge, stringTooLong, tooManyValues,
        ]
    }
}
