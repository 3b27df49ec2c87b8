/// The `\uXXXX` escape and UTF-16 surrogates, for the reader and the writer.
enum UnicodeEscape {
    /// Hex digits after `\u`.
    static let hexDigits = 4
    /// Bytes in `\uXXXX`.
    static let length = 6

    private static let surrogateOffset: UInt32 = 0x10000
    private static let leadBase: UInt32 = 0xD800
    private static let trailBase: UInt32 = 0xDC00
    private static let tenBits: UInt32 = 0x3FF
    private static let oneByteLimit: UInt32 = 0x80
    private static let twoByteLimit: UInt32 = 0x800
    private static let threeByteLimit: UInt32 = 0x10000
    private static let continuationTag: UInt32 = 0x80
    private static let sixBits: UInt32 = 0x3F
    private static let twoByteTag: UInt32 = 0xC0
    private static let threeByteTag: UInt32 = 0xE0
    private static let fourByteTag: UInt32 = 0xF0

    /// The code point of a lead and a trail surrogate.
    static func join(lead: UInt32, trail: UInt32) -> UInt32 {
        surrogateOffset + ((lead - leadBase) << 10) + (trail - trailBase)
    }

    /// The UTF-16 lead and trail surrogates of a code point above U+FFFF.
    static func split(_ scalar: UInt32) -> (lead: UInt32, trail: UInt32) {
        let offset = scalar - surrogateOffset
        return (leadBase + (offset >> 10), trailBase + (offset & tenBits))
    }

    /// Appends the UTF-8 form of a valid (non-surrogate) scalar.
    static func appendUTF8(_ scalar: UInt32, to bytes: inout [UInt8]) {
        if scalar < oneByteLimit {
            bytes.append(UInt8(scalar))
        } else if scalar < twoByteLimit {
            bytes.append(UInt8(twoByteTag | scalar >> 6))
            bytes.append(UInt8(continuationTag | scalar & sixBits))
        } else if scalar < threeByteLimit {
            bytes.append(UInt8(threeByteTag | scalar >> 12))
            bytes.append(UInt8(continuationTag | scalar >> 6 & sixBits))
            bytes.append(UInt8(continuationTag | scalar & sixBits))
        } else {
            bytes.append(UInt8(fourByteTag | scalar >> 18))
            bytes.append(UInt8(continuationTag | scalar >> 12 & sixBits))
            bytes.append(UInt8(continuationTag | scalar >> 6 & sixBits))
            bytes.append(UInt8(continuationTag | scalar & sixBits))
        }
    }

    /// Appends `\u` and four lowercase hex digits, as Python's `'\\u{0:04x}'.format(n)`.
    static func appendEscape(_ unit: UInt32, to bytes: inout [UInt8]) {
        bytes.append(ASCII.backslash)
        bytes.append(ASCII.lowerU)
        var shift = 12
        while shift >= 0 {
            bytes.append(ASCII.hexDigits[Int(unit >> UInt32(shift) & 0xF)])
            shift -= 4
        }
    }
}
