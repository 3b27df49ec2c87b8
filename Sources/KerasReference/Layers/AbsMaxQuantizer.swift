import KerasJSON

/// `keras.quantizers.AbsMaxQuantizer` as the int8 and int4 layers apply it to their inputs at inference
/// (`abs_max_quantize`, keras/src/quantizers/quantizers.py 69-120, the tensor path):
///
///     scale = ops.divide(value_range[1], ops.add(ops.max(ops.abs(inputs), axis=axis, keepdims=True), epsilon))
///     outputs = ops.multiply(inputs, scale)
///     outputs = ops.clip(ops.round(outputs), value_range[0], value_range[1])
///     outputs = ops.cast(outputs, dtype)
///
/// every step in float32, `round` half to even, the cast to int8 toward zero.
struct AbsMaxQuantizer: Equatable, Sendable {
    /// `value_range[0]`, the clip's lower bound.
    let low: Float
    /// `value_range[1]`, the clip's upper bound and the scale's numerator.
    let high: Float
    /// Added to the absolute maximum before dividing (`backend.epsilon()`, 1e-7, by default).
    let epsilon: Float

    /// `AbsMaxQuantizer()`: value range (-127, 127), epsilon 1e-7, int8 output.
    static let standard = AbsMaxQuantizer(low: -127, high: 127, epsilon: 1e-7)

    init(low: Float, high: Float, epsilon: Float) {
        self.low = low
        self.high = high
        self.epsilon = epsilon
    }

    /// The quantizer a serialized `AbsMaxQuantizer` envelope describes (`AbsMaxQuantizer.__init__`,
    /// quantizers.py 308-331: an int8 output needs a value range within [-128, 127]).
    init(envelope: JSONValue, pointer: String) throws(ReferenceError) {
        guard envelope["class_name"]?.stringValue == "AbsMaxQuantizer" else {
            let name = envelope["class_name"]?.stringValue ?? "?"
            throw ReferenceError(ReferenceError.Code.notImplemented, "activation quantizer \(name) has no forward math in kconform (only AbsMaxQuantizer)", at: pointer)
        }
        let config = envelope["config"] ?? .object(JSONObject())
        func number(_ value: JSONValue?) -> Float? { value?.doubleValue.map(Float.init) }
        var (low, high) = (Self.standard.low, Self.standard.high)
        if let range = config["value_range"], !range.isNull {
            guard let pair = range.arrayValue, pair.count == 2, let first = number(pair[0]), let second = number(pair[1]) else {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "value_range must be a pair of numbers", at: pointer + "/config/value_range")
            }
            (low, high) = (first, second)
        }
        var epsilon = Self.standard.epsilon
        if let value = config["epsilon"], !value.isNull {
            guard let parsed = number(value) else { throw ReferenceError(ReferenceError.Code.invalidConfig, "epsilon must be a number", at: pointer + "/config/epsilon") }
            epsilon = parsed
        }
        let output = config["output_dtype"]?.stringValue ?? "int8"
        guard output == "int8" else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "AbsMaxQuantizer with output_dtype \(output) has no forward math in kconform", at: pointer + "/config/output_dtype")
        }
        guard low >= -128, high <= 127 else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "Quantizer with output_dtype='int8' requires value_range to be within the interval [-128, 127]. Received: value_range=(\(low), \(high))", at: pointer + "/config/value_range")
        }
        self.init(low: low, high: high, epsilon: epsilon)
    }

    /// `x` quantized with one scale per slice over `axes` (the reduced axes; empty: one scale per element):
    /// the int8 values and the scale, of `x`'s shape with `axes` kept as size 1 (`keepdims=True`).
    func quantize(_ x: Tensor, axes: Set<Int>) -> (values: [Int8], scale: Tensor) {
        let scaleShape = x.shape.indices.map { axes.contains($0) ? 1 : x.shape[$0] }
        let strides = Tensor.strides(of: x.shape)
        let scaleStrides = Tensor.strides(of: scaleShape)
        // The position in the scale tensor of element `index` of `x`.
        func scaleIndex(_ index: Int) -> Int {
            var rest = index, position = 0
            for axis in x.shape.indices {
                let coordinate = rest / strides[axis]
                rest -= coordinate * strides[axis]
                if !axes.contains(axis) { position += coordinate * scaleStrides[axis] }
            }
            return position
        }
        let positions = (0..<x.count).map(scaleIndex)
        var maxima = [Float](repeating: 0, count: scaleShape.reduce(1, *))
        var sawNaN = [Bool](repeating: false, count: maxima.count)
        for (index, value) in x.scalars.enumerated() {
            let position = positions[index]
            if value.isNaN { sawNaN[position] = true } else { maxima[position] = Swift.max(maxima[position], abs(value)) }
        }
        let scales = maxima.indices.map { sawNaN[$0] ? Float.nan : high / (maxima[$0] + epsilon) }
        var values = [Int8](repeating: 0, count: x.count)
        for (index, value) in x.scalars.enumerated() {
            values[index] = Self.int8(clip((value * scales[positions[index]]).rounded(.toNearestOrEven)))
        }
        return (values, Tensor(shape: scaleShape, scalars: scales))
    }

    /// `ops.clip(x, low, high)` (NaN stays NaN).
    private func clip(_ value: Float) -> Float {
        value.isNaN ? value : Swift.min(Swift.max(value, low), high)
    }

    /// A float cast to int8 as XLA converts: toward zero, NaN to 0, out-of-range values saturated.
    static func int8(_ value: Float) -> Int8 {
        guard !value.isNaN else { return 0 }
        return Int8(Swift.min(Swift.max(value.rounded(.towardZero), -128), 127))
    }
}
