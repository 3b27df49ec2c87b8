/// The dtypes an array marker may name, as `keras.backend.standardize_dtype` writes them, and how NumPy
/// and JAX (64-bit types off) convert a Python number into each.
enum ArrayDType: String, CaseIterable, Sendable {
    case float8_e4m3fn, float8_e5m2, float16, bfloat16, float32, float64
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case bool

    /// What JAX makes of the dtype with `jax_enable_x64` off: 64-bit types become 32-bit ones.
    var jaxNarrowed: ArrayDType {
        switch self {
        case .float64: .float32
        case .int64: .int32
        case .uint64: .uint32
        default: self
        }
    }

    var isFloat: Bool { [.float8_e4m3fn, .float8_e5m2, .float16, .bfloat16, .float32, .float64].contains(self) }
    var isBool: Bool { self == .bool }

    /// The inclusive range of an integer dtype.
    var integerRange: ClosedRange<Int128>? {
        switch self {
        case .int8: Int128(Int8.min)...Int128(Int8.max)
        case .int16: Int128(Int16.min)...Int128(Int16.max)
        case .int32: Int128(Int32.min)...Int128(Int32.max)
        case .int64: Int128(Int64.min)...Int128(Int64.max)
        case .uint8: 0...Int128(UInt8.max)
        case .uint16: 0...Int128(UInt16.max)
        case .uint32: 0...Int128(UInt32.max)
        case .uint64: 0...Int128(UInt64.max)
        default: nil
        }
    }

    var isSigned: Bool { [.int8, .int16, .int32, .int64].contains(self) }

    /// `value` rounded to the dtype's precision (round to nearest even), as a cast from a Python float does.
    func round(_ value: Double) -> Double {
        switch self {
        case .float16: Double(Float16(value))
        case .bfloat16: Double(Precision.bfloat16.round(Float(value)))
        case .float32: Double(Float(value))
        case .float8_e4m3fn: Self.minifloat(value, mantissaBits: 3, minExponent: -6, maxFinite: 448, overflowsToInfinity: false)
        case .float8_e5m2: Self.minifloat(value, mantissaBits: 2, minExponent: -14, maxFinite: 57_344, overflowsToInfinity: true)
        default: value
        }
    }

    /// `value` rounded to nearest even in a small float format (`ml_dtypes`' float8 types): subnormals below
    /// `2^minExponent`; beyond `maxFinite` infinity (e5m2) or NaN (e4m3fn, which has no infinity).
    static func minifloat(_ value: Double, mantissaBits: Int, minExponent: Int, maxFinite: Double, overflowsToInfinity: Bool) -> Double {
        guard value.isFinite else { return value.isNaN || !overflowsToInfinity ? .nan : value }
        guard value != 0 else { return value }
        let exponent = Swift.max(Int(value.exponent), minExponent)
        let quantum = Double(sign: .plus, exponent: exponent - mantissaBits, significand: 1)
        let rounded = (value / quantum).rounded(.toNearestOrEven) * quantum
        if abs(rounded) > maxFinite { return overflowsToInfinity ? (rounded < 0 ? -.infinity : .infinity) : .nan }
        return rounded == 0 ? (value < 0 ? -0.0 : 0.0) : rounded
    }
}
