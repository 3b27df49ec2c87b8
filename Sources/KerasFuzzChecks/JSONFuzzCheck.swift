import KerasBytes
import KerasJSON

/// FuzzJSON: bytes into `JSONReader.parseDocument`.
///
/// Properties of a document the reader parses, for the writer options the option byte selects:
/// - `dumps` of the value parses back (within the same depth and value budgets) to an equal value, or,
///   with `sortKeys`, to the value with every object's keys in code point order, as Python sorts them;
/// - `dumps` is stable: writing the parsed-back value gives the same bytes.
enum JSONFuzzCheck {
    /// Option bit 0: the tight budgets of ``FuzzLimits/json(tight:)``.
    static let tightLimits: UInt8 = 1 << 0
    /// Option bit 1: write with `sortKeys`.
    static let sortKeys: UInt8 = 1 << 1
    /// Option bit 2: write with `ensureASCII` off.
    static let keepNonASCII: UInt8 = 1 << 2
    /// Option bit 3: write with `indent: 2`.
    static let indent: UInt8 = 1 << 3
    /// Every option bit defined so far.
    static let definedOptions: UInt8 = tightLimits | sortKeys | keepNonASCII | indent
    /// Escapes grow a string up to six times (`\u00e9` for one byte of input, `\ud83d\ude00` for two
    /// bytes of UTF-16 written from four of UTF-8 is only three): the round trip allows that much.
    static let escapeGrowth = 6

    static func run(_ input: FuzzInput) throws(FuzzViolation) -> FuzzOutcome {
        let limits = FuzzLimits.json(tight: input.has(tightLimits))
        let value: JSONValue
        do throws(JSONError) { value = try JSONReader.parseDocument(input.body, limits: limits).value } catch {
            return .rejected(error.code.ruleID)
        }
        let options = JSONWriter.Options(indent: input.has(indent) ? 2 : nil, sortKeys: input.has(sortKeys),
                                         ensureASCII: !input.has(keepNonASCII))
        let text = JSONWriter.dumpBytes(value, options: options)
        var rereadLimits = limits
        rereadLimits.maxInputBytes = Int.max
        rereadLimits.maxStringBytes = limits.maxStringBytes.multipliedReportingOverflow(by: escapeGrowth).partialValue
        let again: JSONValue
        do throws(JSONError) { again = try JSONReader.parse(ByteView(copying: text), limits: rereadLimits) } catch {
            throw FuzzViolation(.json, "dumps parses back", "\(error.code.ruleID) \(error.reason) at \(error.location)")
        }
        let expected = options.sortKeys ? sortedKeys(value) : value
        guard again == expected else {
            throw FuzzViolation(.json, "dumps parses back to an equal value", String(decoding: text.prefix(512), as: UTF8.self))
        }
        guard JSONWriter.dumpBytes(again, options: options) == text else {
            throw FuzzViolation(.json, "dumps is stable", String(decoding: text.prefix(512), as: UTF8.self))
        }
        return .accepted
    }

    /// `value` with the members of every object in code point order of their keys (Python's `sorted`).
    static func sortedKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let elements):
            return .array(elements.map(sortedKeys))
        case .object(let object):
            let members = object.map { (key: $0.key, value: sortedKeys($0.value)) }
                .sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
            return .object(JSONObject(members.map { ($0.key, $0.value) }))
        default:
            return value
        }
    }
}
