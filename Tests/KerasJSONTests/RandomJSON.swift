import KerasJSON

/// Random JSON values drawn from a seed: big integers, special floats, awkward Unicode.
struct RandomJSON {
    private var random: SeededGenerator
    private let maxDepth = 5

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    private static let scalarPool: [Unicode.Scalar] = [
        "a", "Z", "0", " ", "\"", "\\", "/", "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{A}", "\u{C}", "\u{D}", "\u{1F}",
        "\u{7F}", "\u{80}", "é", "\u{301}", "\u{2028}", "\u{FEFF}", "\u{FFFF}", "中", "😀", "\u{10FFFF}", "~",
    ]

    mutating func value(depth: Int) -> JSONValue {
        let choice = Int.random(in: 0..<(depth >= maxDepth ? 6 : 9), using: &random)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2, 3: return .number(number())
        case 4, 5: return .string(string())
        case 6: return .array((0..<Int.random(in: 0...6, using: &random)).map { _ in value(depth: depth + 1) })
        default:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...(depth == 0 ? 20 : 6), using: &random) {
                object[string()] = value(depth: depth + 1)
            }
            return .object(object)
        }
    }

    mutating func number() -> JSONNumber {
        switch Int.random(in: 0..<7, using: &random) {
        case 0: return JSONNumber(Int(truncatingIfNeeded: random.next()))
        case 1: return JSONNumber(Int.random(in: -1000...1000, using: &random))
        case 2:
            let digits = (0..<Int.random(in: 19...80, using: &random)).map { _ in String(Int.random(in: 0...9, using: &random)) }
            let text = (Bool.random(using: &random) ? "-" : "") + "1" + digits.joined()
            return JSONNumber.integer(decimal: text) ?? JSONNumber(0)
        case 3: return JSONNumber(Double(bitPattern: random.next()))
        case 4: return JSONNumber(Double(Int.random(in: -1_000_000...1_000_000, using: &random)) / 1000)
        case 5: return [JSONNumber.nan, .infinity, .negativeInfinity, JSONNumber(-0.0), JSONNumber(0.0)].randomElement(using: &random)!
        default: return JSONNumber(Double.random(in: -1...1, using: &random) * pow10(Int.random(in: -30...30, using: &random)))
        }
    }

    mutating func string() -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...10, using: &random) {
            if Bool.random(using: &random) {
                scalars.append(RandomJSON.scalarPool.randomElement(using: &random)!)
            } else {
                var code = UInt32.random(in: 0...0x10FFFF, using: &random)
                if (0xD800...0xDFFF).contains(code) { code = 0x41 }
                scalars.append(Unicode.Scalar(code)!)
            }
        }
        return String(scalars)
    }

    private func pow10(_ exponent: Int) -> Double {
        var value = 1.0
        for _ in 0..<abs(exponent) { value *= 10 }
        return exponent < 0 ? 1 / value : value
    }
}
