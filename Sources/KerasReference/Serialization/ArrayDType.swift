/// The dtypes an array marker may name, as `keras.backend.standardize_dtype` writes them, and how NumPy
/// and JAX (64-bit types off) convert a Python number into each.
enum ArrayDType: String, CaseIterable, Sendable {
    case float16, bfloat16, float32, float64
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

    /// NumPy alone has no bfloat16 (`TypeError: data type 'bfloat16' not understood`), but Keras with JAX
    /// imports `ml_dtypes`, which registers it: in Keras's process `np.array(x, dtype="bfloat16")` works.
    var numpyKnows: Bool { true }

    var isFloat: Bool { [.float16, .bfloat16, .float32, .float64].contains(self) }
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
        default: value
        }
    }
}
