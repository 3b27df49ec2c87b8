/// The kernel of a quantized `Dense` or `EinsumDense` in one of the storage modes of Keras 3.15.1, and the
/// forward math over it (keras/src/layers/core/dense.py and einsum_dense.py, `_int8_build`/`_int8_call`,
/// `_int4_build`/`_int4_call`, `_float8_build`/`_float8_call`).
///
/// The variables are declared in save order (`variable_serialization_spec`): `kernel`, then the layer's
/// `bias`, then the mode's others. Keras creates them in another order (the mode's variables in
/// `quantized_build`, before the float8 kernel and the bias), which orders `trainable_variables`:
/// ``creationOrder`` keeps it.
struct QuantizedKernel {
    /// How the kernel is stored.
    enum Storage {
        /// `kernel` int8 of the float kernel's shape and `kernel_scale` float32 (Dense `[units]`, EinsumDense
        /// the output's layout): the float kernel is `kernel / kernel_scale`.
        case int8(kernel: Variable, scale: Variable)
        /// `kernel` int8 `[rows, ceil(columns / 2)]`, two int4 values per byte along the columns (rows are the
        /// reduced axes, columns the others); per channel `kernel_scale` `[columns]` (float kernel
        /// `values / scale`), per group of `block_size` rows also `kernel_zero` int8 and `kernel_scale`
        /// `[groups, columns]` with `g_idx` float32 `[rows]` naming each row's group (float kernel
        /// `(values - zero) * scale`).
        case int4(kernel: Variable, scale: Variable, zero: Variable?, groupIndex: Variable?, rows: Int, columns: Int)
        /// `kernel` float32 and scalar `inputs_scale` and `kernel_scale`: both operands pass through
        /// float8_e4m3fn at inference. The amax histories and `outputs_grad_scale` are training state.
        case float8(kernel: Variable, inputsScale: Variable, kernelScale: Variable)
    }

    let storage: Storage
    /// The quantizer of the inputs, nil for weight-only.
    let inputsQuantizer: AbsMaxQuantizer?
    /// The unquantized kernel shape (`[inputs, units]` for Dense).
    let kernelShape: [Int]
    /// The variables `quantized_build` creates, then the float8 kernel: Keras's creation order before the bias.
    let creationOrder: [Variable]

    /// Declares the variables of `quantization` for a kernel of `kernelShape` whose int4 matrix is
    /// `rows` x `columns` and whose int8 scale has `int8ScaleShape`: `add(name, shape, trainable, dtype)`
    /// for each, `addBias()` right after the kernel. Values start as Keras's initializers leave them.
    static func declare(_ quantization: LayerQuantization, kernelShape: [Int], rows: Int, columns: Int, int8ScaleShape: [Int],
                        add: (String, [Int], Bool, String) throws(ReferenceError) -> Variable,
                        addBias: () throws(ReferenceError) -> Void) throws(ReferenceError) -> QuantizedKernel {
        let policy = quantization.policy
        let storage: Storage
        let created: [Variable]
        switch policy.mode {
        case .int8:
            let kernel = try add("kernel", kernelShape, false, "int8")
            try addBias()
            let scale = try add("kernel_scale", int8ScaleShape, false, "float32")
            try kernel.assign(int8: [Int8](repeating: 0, count: kernel.values.count))
            try scale.assign([Float](repeating: 1, count: scale.values.count))
            storage = .int8(kernel: kernel, scale: scale)
            created = [kernel, scale]
        case .int4:
            let kernel = try add("kernel", [rows, Int4Packing.packedCount(columns)], false, "int8")
            try addBias()
            let grouped = policy.blockSize != nil
            let scaleShape = grouped ? [policy.groups(rows: rows), columns] : [columns]
            let scale = try add("kernel_scale", scaleShape, false, "float32")
            try kernel.assign(int8: [Int8](repeating: 0, count: kernel.values.count))
            try scale.assign([Float](repeating: 1, count: scale.values.count))
            var zero: Variable?, groupIndex: Variable?
            if let block = policy.blockSize {
                zero = try add("kernel_zero", scaleShape, false, "int8")
                groupIndex = try add("g_idx", [rows], false, "float32")
                try zero?.assign(int8: [Int8](repeating: 0, count: scaleShape.reduce(1, *)))
                try groupIndex?.assign((0..<rows).map { Float($0 / block) })
            }
            storage = .int4(kernel: kernel, scale: scale, zero: zero, groupIndex: groupIndex, rows: rows, columns: columns)
            created = [kernel, scale] + [zero, groupIndex].compactMap { $0 }
        case .float8:
            let kernel = try add("kernel", kernelShape, true, "float32")
            try addBias()
            let history = [policy.amaxHistoryLength]
            var made: [Variable] = []
            for name in ["inputs", "kernel", "outputs_grad"] {
                let scale = try add(name + "_scale", [], true, "float32")
                try scale.assign([1])
                made += [scale, try add(name + "_amax_history", history, true, "float32")]
            }
            storage = .float8(kernel: kernel, inputsScale: made[0], kernelScale: made[2])
            created = made + [kernel]
        case .gptq, .awq:
            throw ReferenceError(ReferenceError.Code.notImplemented, "\(policy.mode.rawValue) quantization has no variables in kconform")
        }
        return QuantizedKernel(storage: storage, inputsQuantizer: quantization.inputsQuantizer, kernelShape: kernelShape, creationOrder: created)
    }

    // MARK: Dense

    /// `Dense`'s product of `x` (last axis `inputs`) with the kernel, before the bias: the float32
    /// `[..., units]` tensor `_int8_call`, `_int4_call` or `_float8_call` computes (dense.py 781-1029).
    func dense(_ x: Tensor, units: Int) throws(ReferenceError) -> Tensor {
        let inputs = kernelShape[0]
        let rows = x.shape.dropLast().reduce(1, *)
        let shape = Array(x.shape.dropLast()) + [units]
        switch storage {
        case .int8(let kernel, let scale):
            return Tensor(shape: shape, scalars: scaledProduct(x, Self.int8Values(kernel), scale: scale.values, rows: rows, inputs: inputs, units: units))
        case .int4(let kernel, let scale, let zero, let groupIndex, let kernelRows, let columns):
            let unpacked = Int4Packing.unpackLastAxis(Self.int8Values(kernel), rows: kernelRows, columns: columns)
            if let zero, let groupIndex {
                // Sub-channel: `matmul(inputs, dequantize_with_sz_map(unpacked, scale, zero, g_idx, group_axis=0))`.
                let float = Self.dequantize(unpacked, rows: kernelRows, columns: columns, scale: scale.values, zero: zero.values, groupIndex: groupIndex.values)
                return Tensor(shape: shape, scalars: LinearAlgebra.matmul(x.scalars, float, m: rows, k: inputs, n: units))
            }
            return Tensor(shape: shape, scalars: scaledProduct(x, unpacked, scale: scale.values, rows: rows, inputs: inputs, units: units))
        case .float8(let kernel, let inputsScale, let kernelScale):
            let a = Float8E4M3.quantizeDequantize(x.scalars, scale: inputsScale.values[0])
            let b = Float8E4M3.quantizeDequantize(kernel.values, scale: kernelScale.values[0])
            return Tensor(shape: shape, scalars: LinearAlgebra.matmul(a, b, m: rows, k: inputs, n: units))
        }
    }

    /// Dense int8 and per-channel int4: with an inputs quantizer, the int8 inputs (one scale per row,
    /// `axis=-1`) times the integer kernel in int32, cast to float32 and divided by
    /// `kernel_scale * inputs_scale`; weight-only, the float inputs times the integer kernel divided by
    /// `kernel_scale`.
    private func scaledProduct(_ x: Tensor, _ kernel: [Int8], scale: [Float], rows: Int, inputs: Int, units: Int) -> [Float] {
        var result = [Float](repeating: 0, count: rows * units)
        if let quantizer = inputsQuantizer {
            let (values, inputScale) = quantizer.quantize(x, axes: [Swift.max(x.rank - 1, 0)])
            let product = IntegerMatmul.int32(values, kernel, m: rows, k: inputs, n: units)
            for row in 0..<rows {
                for unit in 0..<units { result[row * units + unit] = Float(product[row * units + unit]) / (scale[unit] * inputScale.scalars[row]) }
            }
        } else {
            let product = LinearAlgebra.matmul(x.scalars, kernel.map(Float.init), m: rows, k: inputs, n: units)
            for row in 0..<rows {
                for unit in 0..<units { result[row * units + unit] = product[row * units + unit] / scale[unit] }
            }
        }
        return result
    }

    // MARK: EinsumDense

    /// `EinsumDense`'s `einsum(equation, x, kernel)` before the bias (einsum_dense.py 942-1265); `info` is
    /// the equation's quantization analysis (nil for float8, which needs none).
    func einsum(_ x: Tensor, equation: String, info: EinsumQuantizationInfo?, layer: String) throws(ReferenceError) -> Tensor {
        func product(_ equation: String, _ a: Tensor, _ b: Tensor) throws(ReferenceError) -> Tensor {
            try Einsum(equation, leftRank: a.rank, rightRank: b.rank, layer: layer).apply(a, b, layer: layer)
        }
        func divided(_ numerator: Tensor, by denominator: Tensor) throws(ReferenceError) -> Tensor {
            guard let result = numerator.broadcast(with: denominator, /), result.shape == numerator.shape else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "a scale of shape \(denominator.shape) does not broadcast to the output \(numerator.shape)", at: layer)
            }
            return result
        }
        switch storage {
        case .int8(let kernel, let scale):
            let values = Self.int8Values(kernel)
            guard let quantizer = inputsQuantizer, let info else {
                // Weight-only (JAX): `einsum(inputs, kernel)` in float32, divided by `kernel_scale`.
                return try divided(try product(equation, x, Tensor(shape: kernelShape, scalars: values.map(Float.init))), by: scale.tensor)
            }
            let (inputs, inputScale) = quantizer.quantize(x, axes: Set(info.inputReducedAxes))
            let aligned = try info.inputScaleInOutputLayout(inputScale, layer: layer)
            let integers = try IntegerEinsum(equation, leftRank: x.rank, rightRank: kernelShape.count, layer: layer)
                .apply(inputs, shape: x.shape, values, shape: kernelShape, layer: layer)
            guard let outputScale = aligned.broadcast(with: scale.tensor, *) else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "input scale \(aligned.shape) and kernel scale \(scale.shape) do not broadcast", at: layer)
            }
            return try divided(Tensor(shape: integers.shape, scalars: integers.values.map(Float.init)), by: outputScale)
        case .int4(let kernel, let scale, let zero, let groupIndex, let rows, let columns):
            let unpacked = Int4Packing.unpackLastAxis(Self.int8Values(kernel), rows: rows, columns: columns)
            if let zero, let groupIndex {
                let float = Self.dequantize(unpacked, rows: rows, columns: columns, scale: scale.values, zero: zero.values, groupIndex: groupIndex.values)
                return try product(equation, x, Tensor(shape: kernelShape, scalars: float))
            }
            // Per channel: the kernel dequantized first (`unpacked / kernel_scale`, reshaped to the kernel).
            var dequantized = [Float](repeating: 0, count: rows * columns)
            for row in 0..<rows {
                for column in 0..<columns { dequantized[row * columns + column] = Float(unpacked[row * columns + column]) / scale.values[column] }
            }
            let floatKernel = Tensor(shape: kernelShape, scalars: dequantized)
            guard let quantizer = inputsQuantizer, let info else { return try product(equation, x, floatKernel) }
            let (inputs, inputScale) = quantizer.quantize(x, axes: Set(info.inputReducedAxes))
            let aligned = try info.inputScaleInOutputLayout(inputScale, layer: layer)
            let quantizedProduct = try product(equation, Tensor(shape: x.shape, scalars: inputs.map(Float.init)), floatKernel)
            return try divided(quantizedProduct, by: aligned)
        case .float8(let kernel, let inputsScale, let kernelScale):
            let a = Tensor(shape: x.shape, scalars: Float8E4M3.quantizeDequantize(x.scalars, scale: inputsScale.values[0]))
            let b = Tensor(shape: kernel.shape, scalars: Float8E4M3.quantizeDequantize(kernel.values, scale: kernelScale.values[0]))
            return try product(equation, a, b)
        }
    }

    // MARK: Shared

    /// The bias as the layer adds it: float8 layers computing in float32 round it to bfloat16 first
    /// (dense.py 1018-1026: "F32 bias has to be converted to BF16 first to get the biasAdd fusion support").
    func bias(_ values: [Float]) -> [Float] {
        if case .float8 = storage { return values.map(Precision.bfloat16.round) }
        return values
    }

    /// The int8 values of an int8 variable (its float view holds them exactly; other stored dtypes are cast
    /// as Keras's `assign` casts them).
    static func int8Values(_ variable: Variable) -> [Int8] { variable.values.map(AbsMaxQuantizer.int8) }

    /// `dequantize_with_sz_map(unpacked, scale, zero, g_idx, group_axis=0)` (quantizers.py 1196-1233):
    /// row `r` takes group `int32(g_idx[r])` (`ops.take`: negative indices count from the end, others
    /// outside the groups give NaN), and becomes `(value - zero) * scale`.
    static func dequantize(_ unpacked: [Int8], rows: Int, columns: Int, scale: [Float], zero: [Float], groupIndex: [Float]) -> [Float] {
        let groups = columns == 0 ? 0 : scale.count / columns
        var result = [Float](repeating: .nan, count: rows * columns)
        for row in 0..<rows {
            guard let group = Self.group(groupIndex[row], count: groups) else { continue }
            for column in 0..<columns {
                let index = group * columns + column
                result[row * columns + column] = (Float(unpacked[row * columns + column]) - zero[index]) * scale[index]
            }
        }
        return result
    }

    /// A `g_idx` value cast to int32 (toward zero; NaN and out-of-range values become the int32 minimum)
    /// and resolved as `jnp.take` resolves it; nil when outside the groups.
    private static func group(_ value: Float, count: Int) -> Int? {
        guard value.isFinite, value.magnitude < 2_147_483_648 else { return nil }
        var index = Int(value.rounded(.towardZero))
        if index < 0 { index += count }
        return index >= 0 && index < count ? index : nil
    }
}
