import KerasJSON

/// Python's `repr` of a value decoded by `json.loads`, as Keras prints configs in its messages
/// (`Full object config: {'module': None, 'class_name': 'Scale', ...}`).
enum PythonRepr {
    static func of(_ value: JSONValue) -> String {
        switch value {
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .number(let number):
            if let double = number.floatValue {
                if double.isNaN { return "nan" }
                if double.isInfinite { return double < 0 ? "-inf" : "inf" }
            }
            return JSONWriter.dumps(.number(number))
        case .string(let text): return string(text)
        case .array(let items): return "[" + items.map(of).joined(separator: ", ") + "]"
        case .object(let object): return "{" + object.map { string($0.key) + ": " + of($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// `repr(str)`: single quotes unless the text has a single quote and no double quote; `\\`, the quote,
    /// `\n`, `\r`, `\t` escaped, other control characters as `\xNN`.
    static func string(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where Character(scalar) == quote: result += "\\" + String(quote)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            default: result.unicodeScalars.append(scalar)
            }
        }
        result.append(quote)
        return result
    }
}
