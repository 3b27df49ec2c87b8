/// Parses the header dict literal of a `.npy` file: `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
///
/// Accepts exactly what `ast.literal_eval` accepts for these three keys (single or double quotes, any key
/// order, optional trailing comma, spaces), and nothing else; trailing spaces and one newline may follow.
struct NpyHeaderParser {
    struct Fields {
        var descr: String
        var fortranOrder: Bool
        var shape: [Int]
        var rank: Int { shape.count }
    }

    let bytes: [UInt8]
    let offset: Int
    var position = 0

    init(bytes: [UInt8], offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    private func fail(_ reason: String) -> NpyError {
        NpyError(NpyError.Code.malformedHeader, reason, offset: offset + position)
    }

    private mutating func skipSpaces() {
        while position < bytes.count, bytes[position] == 0x20 { position += 1 }
    }

    private mutating func expect(_ character: UInt8) throws(NpyError) {
        skipSpaces()
        guard position < bytes.count, bytes[position] == character else {
            throw fail("expected '\(Character(Unicode.Scalar(character)))'")
        }
        position += 1
    }

    private mutating func peek() -> UInt8? {
        skipSpaces()
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func parse() throws(NpyError) -> Fields {
        try expect(UInt8(ascii: "{"))
        var descr: String?
        var fortran: Bool?
        var shape: [Int]?
        while peek() != UInt8(ascii: "}") {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            switch key {
            case "descr" where descr == nil: descr = try string()
            case "fortran_order" where fortran == nil: fortran = try boolean()
            case "shape" where shape == nil: shape = try tuple()
            default: throw fail("unexpected or repeated key '\(key)'")
            }
            if peek() == UInt8(ascii: ",") { position += 1 } else { break }
        }
        try expect(UInt8(ascii: "}"))
        while position < bytes.count, bytes[position] == 0x20 { position += 1 }
        if position < bytes.count, bytes[position] == 0x0A { position += 1 }
        guard position == bytes.count else { throw fail("bytes after the header dict") }
        guard let descr, let fortran, let shape else { throw fail("descr, fortran_order and shape are all required") }
        return Fields(descr: descr, fortranOrder: fortran, shape: shape)
    }

    private mutating func string() throws(NpyError) -> String {
        guard let quote = peek(), quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else { throw fail("expected a string") }
        position += 1
        let start = position
        while position < bytes.count, bytes[position] != quote {
            guard bytes[position] >= 0x20, bytes[position] < 0x7F, bytes[position] != UInt8(ascii: "\\") else {
                throw fail("strings are plain printable ASCII")
            }
            position += 1
        }
        guard position < bytes.count else { throw fail("unterminated string") }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        position += 1
        return text
    }

    private mutating func boolean() throws(NpyError) -> Bool {
        skipSpaces()
        for (word, value) in [("True", true), ("False", false)] where bytes[position...].starts(with: Array(word.utf8)) {
            position += word.utf8.count
            return value
        }
        throw fail("expected True or False")
    }

    private mutating func tuple() throws(NpyError) -> [Int] {
        try expect(UInt8(ascii: "("))
        var values: [Int] = []
        var trailingComma = false
        while let next = peek(), next != UInt8(ascii: ")") {
            trailingComma = false
            let start = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            guard position > start, position - start <= 18, let value = Int(String(decoding: bytes[start..<position], as: UTF8.self)) else {
                throw fail("expected a non-negative dimension")
            }
            values.append(value)
            if peek() == UInt8(ascii: ",") {
                position += 1
                trailingComma = true
            } else {
                break
            }
        }
        try expect(UInt8(ascii: ")"))
        // `(3)` is the int 3 in Python, not a tuple: a one-element shape needs its comma.
        guard values.count != 1 || trailingComma else { throw fail("a one-element shape is written (n,)") }
        return values
    }
}
