/// The ASCII bytes of the JSON grammar, by name.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let backspace: UInt8 = 0x08
    static let formFeed: UInt8 = 0x0C
    /// The first byte that is not a control character; strings may not hold raw bytes below it.
    static let firstNonControl: UInt8 = 0x20
    /// DEL: printable under no definition, escaped by `ensure_ascii`.
    static let delete: UInt8 = 0x7F
    /// The first byte that is not ASCII.
    static let firstNonASCII: UInt8 = 0x80
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let lowerA = UInt8(ascii: "a")
    static let lowerF = UInt8(ascii: "f")
    static let upperA = UInt8(ascii: "A")
    static let upperF = UInt8(ascii: "F")
    static let lowerE = UInt8(ascii: "e")
    static let upperE = UInt8(ascii: "E")
    static let lowerU = UInt8(ascii: "u")
    static let lowerB = UInt8(ascii: "b")
    static let lowerN = UInt8(ascii: "n")
    static let lowerR = UInt8(ascii: "r")
    static let lowerT = UInt8(ascii: "t")
    static let upperN = UInt8(ascii: "N")
    static let upperI = UInt8(ascii: "I")
    static let tilde = UInt8(ascii: "~")

    static let null = Array("null".utf8)
    static let `true` = Array("true".utf8)
    static let `false` = Array("false".utf8)
    static let nan = Array("NaN".utf8)
    static let infinity = Array("Infinity".utf8)
    static let negativeInfinity = Array("-Infinity".utf8)

    /// Lowercase hexadecimal digits, as Python writes `\uXXXX` escapes.
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Python's JSON whitespace: space, tab, newline, carriage return, nothing else.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == newline || byte == carriageReturn || byte == tab
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= zero && byte <= nine
    }

    /// The value of a hexadecimal digit of either case, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case zero...nine: return UInt32(byte - zero)
        case lowerA...lowerF: return UInt32(byte - lowerA) + 10
        case upperA...upperF: return UInt32(byte - upperA) + 10
        default: return nil
        }
    }
}
