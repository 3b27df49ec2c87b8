/// Rounding to a layer's compute dtype (its dtype policy, DTP:177-178): `float16` and `mixed_float16`
/// compute in float16, `bfloat16` and `mixed_bfloat16` in bfloat16, everything else in float32.
///
/// The math runs in float32 and rounds where JAX materialises a low-precision tensor: inputs, each
/// intermediate result, outputs.
public enum Precision: String, Sendable {
    /// float32, float16 or bfloat16 arithmetic.
    case float32, float16, bfloat16

    /// The compute precision of a dtype policy name.
    init(policy: String?) {
        switch policy {
        case "float16", "mixed_float16": self = .float16
        case "bfloat16", "mixed_bfloat16": self = .bfloat16
        default: self = .float32
        }
    }

    /// `value` rounded to this precision (round to nearest even).
    func round(_ value: Float) -> Float {
        switch self {
        case .float32: return value
        case .float16: return Float(Float16(value))
        case .bfloat16: return Self.bfloat16Round(value)
        }
    }

    /// `value` rounded to the nearest bfloat16 (ties to even).
    static func bfloat16Round(_ value: Float) -> Float {
        guard value.isFinite else { return value }
        let bits = value.bitPattern
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return Float(bitPattern: rounded & 0xFFFF_0000)
    }

    /// The dtype of a tensor computed at this precision.
    var dtype: TensorDType {
        switch self {
        case .float32: .float32
        case .float16: .float16
        case .bfloat16: .bfloat16
        }
    }

    func round(_ values: [Float]) -> [Float] { self == .float32 ? values : values.map(round) }

    /// A float tensor autocast to this precision (`DTypePolicy.convert_input`); bool and integer tensors
    /// are left as they are, as Keras leaves them.
    func round(_ tensor: Tensor) -> Tensor {
        guard tensor.dtype.isFloat, tensor.dtype != dtype else { return tensor }
        return Tensor(shape: tensor.shape, scalars: self == .float32 ? tensor.scalars : round(tensor.scalars), dtype: dtype)
    }
}
