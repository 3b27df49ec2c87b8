/// A JSON number as Python's `json` holds it: an exact integer of any size, or a `float`.
///
/// Integers keep every digit (`2**70` stays `1180591620717411303424`); anything with a fraction or
/// an exponent is a `Double`, including `1e400` (infinity, as `float("1e400")`) and the literals
/// `NaN`, `Infinity`, `-Infinity`. `-0` is the integer 0; `-0.0` stays a negative zero.
///
/// Equality is representational, which is what a round trip needs: `1` and `1.0` differ,
/// `0.0` and `-0.0` differ, and NaN equals NaN.
public struct JSONNumber: Sendable {
    enum Storage: Sendable {
        /// An integer that fits `Int`.
        case integer(Int)
        /// The canonical decimal text of an integer outside `Int`'s range: optional '-', no leading zeros.
        case bigInteger(String)
        /// A float.
        case float(Double)
    }

    let storage: Storage

    init(storage: Storage) {
        self.storage = storage
    }

    /// The integer `int`.
    public init(_ int: Int) {
        storage = .integer(int)
    }

    /// The float `double` (NaN and the infinities included).
    public init(_ double: Double) {
        storage = .float(double)
    }

    /// The integer `value`.
    public static func integer(_ value: Int) -> JSONNumber { JSONNumber(value) }

    /// The integer written `decimal` (`-?(0|[1-9][0-9]*)`, `-0` allowed and read as 0), or nil when the
    /// text is not an integer in that form. Any length is accepted.
    public static func integer(decimal: String) -> JSONNumber? {
        let digits = Array(decimal.utf8)
        let negative = digits.first == ASCII.minus
        let magnitude = negative ? digits.dropFirst() : digits[...]
        guard let first = magnitude.first, magnitude.allSatisfy(ASCII.isDigit),
              first != ASCII.zero || magnitude.count == 1 else { return nil }
        return digits.withUnsafeBufferPointer { integer(lexeme: $0) }
    }

    /// The float `value`.
    public static func float(_ value: Double) -> JSONNumber { JSONNumber(value) }

    /// Python's `float('nan')`, written `NaN`.
    public static let nan = JSONNumber(Double.nan)
    /// Python's `float('inf')`, written `Infinity`.
    public static let infinity = JSONNumber(Double.infinity)
    /// Python's `float('-inf')`, written `-Infinity`.
    public static let negativeInfinity = JSONNumber(-Double.infinity)

    /// The number of a validated integer lexeme: optional '-', then digits without leading zeros.
    static func integer(lexeme: UnsafeBufferPointer<UInt8>) -> JSONNumber {
        let negative = lexeme.first == ASCII.minus
        var magnitude: UInt64 = 0
        var fits = true
        for byte in lexeme.dropFirst(negative ? 1 : 0) {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte &- ASCII.zero))
            if overflow1 || overflow2 { fits = false; break }
            magnitude = sum
        }
        if fits {
            if negative, magnitude <= UInt64(Int.max) + 1 {
                return JSONNumber(Int(truncatingIfNeeded: 0 &- magnitude))
            }
            if !negative, magnitude <= UInt64(Int.max) {
                return JSONNumber(Int(magnitude))
            }
        }
        return JSONNumber(storage: .bigInteger(String(decoding: lexeme, as: UTF8.self)))
    }

    /// Whether the number is an integer (Python `int`), not a float.
    public var isInteger: Bool {
        if case .float = storage { return false }
        return true
    }

    /// The integer, when the number is an integer that fits `Int`; nil for floats, even integral ones.
    public var intValue: Int? {
        if case .integer(let value) = storage { return value }
        return nil
    }

    /// The canonical decimal text of an integer (`-12`, `1180591620717411303424`); nil for floats.
    public var integerDecimal: String? {
        switch storage {
        case .integer(let value): return String(value)
        case .bigInteger(let text): return text
        case .float: return nil
        }
    }

    /// The float, when the number is a float; nil for integers.
    public var floatValue: Double? {
        if case .float(let value) = storage { return value }
        return nil
    }

    /// Python's `float(x)`: a float as is; an integer rounded to the nearest double, or nil when
    /// it is too large (Python raises OverflowError: "int too large to convert to float").
    public var doubleValue: Double? {
        switch storage {
        case .integer(let value): return Double(value)
        case .bigInteger(let text):
            guard let value = Double(text), value.isFinite else { return nil }
            return value
        case .float(let value): return value
        }
    }
}

extension JSONNumber: Hashable {
    /// Same kind and same value: integers by value, floats by bit pattern except that all NaNs are equal.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.integer(let a), .integer(let b)): return a == b
        case (.bigInteger(let a), .bigInteger(let b)): return a == b
        case (.float(let a), .float(let b)): return (a.isNaN && b.isNaN) || a.bitPattern == b.bitPattern
        default: return false
        }
    }

    /// Hashes consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .integer(let value):
            hasher.combine(0)
            hasher.combine(value)
        case .bigInteger(let text):
            hasher.combine(1)
            hasher.combine(text)
        case .float(let value):
            hasher.combine(2)
            hasher.combine(value.isNaN ? Double.nan.bitPattern : value.bitPattern)
        }
    }
}

extension JSONNumber: CustomStringConvertible {
    /// The number as `json.dumps` writes it: `12`, `1.5`, `1e-05`, `NaN`, `-Infinity`.
    public var description: String {
        var bytes: [UInt8] = []
        JSONWriter.appendNumber(self, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
