/// Python's `float(str)` and `int(str)` on the strings NumPy converts into numeric array elements
/// (`np.array(["1.5"], dtype="float32")`), for ASCII text: surrounding whitespace, a sign, underscores
/// between digits, and for floats `inf`, `infinity` and `nan` in any case. Other text (non-ASCII digits or
/// whitespace, which Python also accepts) gives nil: kconform refuses what it does not parse.
enum PythonNumberText {
    /// `float(text)`, or nil when Python would raise or the text is not ASCII.
    static func float(_ text: String) -> Double? {
        guard let body = trimmed(text) else { return nil }
        var unsigned = body[...]
        if let first = unsigned.first, first == "+" || first == "-" { unsigned = unsigned.dropFirst() }
        let lower = unsigned.lowercased()
        if ["inf", "infinity", "nan"].contains(lower) { return Double(body.lowercased().replacingOccurrences(of: "infinity", with: "inf")) }
        var rest = unsigned
        let whole = digitPart(&rest)
        var fraction: Substring? = nil
        if rest.first == "." {
            rest = rest.dropFirst()
            fraction = digitPart(&rest) ?? ""
        }
        guard whole != nil || (fraction.map { !$0.isEmpty } ?? false) else { return nil }
        if let marker = rest.first, marker == "e" || marker == "E" {
            rest = rest.dropFirst()
            if let sign = rest.first, sign == "+" || sign == "-" { rest = rest.dropFirst() }
            guard digitPart(&rest) != nil else { return nil }
        }
        guard rest.isEmpty else { return nil }
        return Double(body.replacingOccurrences(of: "_", with: ""))
    }

    /// `int(text)` as a decimal string without underscores, or nil when Python would raise.
    static func integer(_ text: String) -> String? {
        guard let body = trimmed(text) else { return nil }
        var rest = body[...]
        var sign = ""
        if let first = rest.first, first == "+" || first == "-" { sign = first == "-" ? "-" : ""; rest = rest.dropFirst() }
        guard let digits = digitPart(&rest), rest.isEmpty else { return nil }
        return sign + digits.replacingOccurrences(of: "_", with: "")
    }

    /// Digits with single underscores between them, consumed from the front of `text`; nil when none.
    private static func digitPart(_ text: inout Substring) -> Substring? {
        var end = text.startIndex
        var last: Character? = nil
        while end < text.endIndex {
            let character = text[end]
            if character.isASCII && character.isNumber {
            } else if character == "_" && last?.isNumber == true && text.index(after: end) < text.endIndex
                        && text[text.index(after: end)].isASCII && text[text.index(after: end)].isNumber {
            } else {
                break
            }
            last = character
            end = text.index(after: end)
        }
        guard end > text.startIndex else { return nil }
        defer { text = text[end...] }
        return text[..<end]
    }

    private static func trimmed(_ text: String) -> String? {
        guard text.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        let whitespace: Set<Character> = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"]
        var body = Substring(text)
        while let first = body.first, whitespace.contains(first) { body = body.dropFirst() }
        while let last = body.last, whitespace.contains(last) { body = body.dropLast() }
        return body.isEmpty ? nil : String(body)
    }
}
