/// A JSON value as Python's `json.loads` returns it.
///
/// Arrays and objects hold their children in heap buffers already, so the enum needs no
/// `indirect` boxes: a value is one inline payload, which keeps parsing allocation-light.
/// Equality is representational (see ``JSONNumber`` and ``JSONObject``): two values are equal
/// exactly when `json.dumps` writes them identically; strings compare by Unicode scalars.
public enum JSONValue: Sendable {
    /// `null` (Python `None`).
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer of any size or a float, NaN and the infinities included.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object: ordered members with unique keys.
    case object(JSONObject)

    /// The value of `key` when this is an object holding it, else nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The element at `index` when this is an array and `index` is in range, else nil.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, index >= 0, index < elements.count else { return nil }
        return elements[index]
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, when this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number, when this is a number.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The integer, when this is an integer that fits `Int` (floats give nil, even `3.0`).
    public var intValue: Int? { numberValue?.intValue }

    /// Python's `float(x)` of a number: floats as they are, integers rounded; nil otherwise.
    public var doubleValue: Double? { numberValue?.doubleValue }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The object, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
