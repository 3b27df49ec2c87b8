import KerasJSON

/// Shorthands for building report JSON.
extension JSONValue {
    static func text(_ string: String) -> JSONValue { .string(string) }
    static func text(_ string: String?) -> JSONValue { string.map(JSONValue.string) ?? .null }
    static func integer(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
    static func integer(_ value: Int?) -> JSONValue { value.map { .number(JSONNumber($0)) } ?? .null }
    static func fields(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(pairs)) }
    static func list(_ items: [JSONValue]) -> JSONValue { .array(items) }
}

/// The JSON rendering used by every report: `json.dumps(indent=2)` style.
enum ReportJSON {
    /// The version of the report schemas; bumped on any incompatible change.
    static let schemaVersion = 1

    static func render(_ value: JSONValue) -> String {
        var options = JSONWriter.Options()
        options.indent = 2
        options.ensureASCII = false
        return JSONWriter.dumps(value, options: options) + "\n"
    }
}

/// Python-style shape text: `(4, 3)`, `(5,)`, `()`.
func shapeText(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
}
