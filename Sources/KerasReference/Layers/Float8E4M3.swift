/// The `float8_e4m3fn` format (ml_dtypes; 1 sign bit, 4 exponent bits of bias 7, 3 mantissa bits, no
/// infinities, largest finite 448) and the float8 layers' quantize-dequantize at inference
/// (`quantize_and_dequantize`, keras/src/quantizers/quantizers.py 608-620):
///
///     x = ops.divide(inputs, ops.cast(scale, compute_dtype))
///     x = ops.clip(x, -quantized_dtype_max, quantized_dtype_max)
///     x = ops.cast(x, quantized_dtype)
///     x = ops.multiply(ops.cast(x, compute_dtype), ops.cast(scale, compute_dtype))
enum Float8E4M3 {
    /// `ml_dtypes.finfo("float8_e4m3fn").max`.
    static let max: Float = 448
    /// The smallest normal exponent; below it the spacing stays 2^-9 (subnormals).
    static let minimumExponent = -6
    /// Mantissa bits.
    static let mantissaBits = 3

    /// `value` rounded to the nearest float8_e4m3fn (ties to even), as a float; for values within
    /// ±``max`` (the callers clip first), NaN kept.
    static func round(_ value: Float) -> Float {
        guard value.isFinite, value != 0 else { return value }
        let exponent = Swift.max(Int(value.magnitude.exponent), minimumExponent)
        let spacing = Float(sign: .plus, exponent: exponent - mantissaBits, significand: 1)
        return (value / spacing).rounded(.toNearestOrEven) * spacing
    }

    /// `quantize_and_dequantize(values, scale, "float8_e4m3fn", "float32")`.
    static func quantizeDequantize(_ values: [Float], scale: Float) -> [Float] {
        values.map { value in
            let divided = value / scale
            let clipped = divided.isNaN ? divided : Swift.min(Swift.max(divided, -max), max)
            return round(clipped) * scale
        }
    }
}
