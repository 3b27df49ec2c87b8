import KerasFormat
import KerasJSON
@testable import KerasReference
import Testing

/// The pieces of the quantized layers against values Keras 3.15.1 computes (keras/src/quantizers): the
/// int4 packing, float8_e4m3fn rounding, the AbsMax quantizer, the einsum scale layout, and the policies.
struct QuantizationTests {
    /// `pack_int4`'s docstring example along axis 1 (quantizers.py 678-697).
    @Test func int4PackingMatchesKerasExample() {
        let values: [Int8] = [-3, 7, 2, -8, 1, 0]
        let packed = Int4Packing.packLastAxis(values, rows: 2, columns: 3)
        #expect(packed == [125, 2, 24, 0])
        #expect(Int4Packing.unpackLastAxis(packed, rows: 2, columns: 3) == values)
        // Every byte unpacks to two values in [-8, 7].
        let all = (Int8.min...Int8.max).map { $0 }
        let unpacked = Int4Packing.unpackLastAxis(all, rows: all.count, columns: 2)
        #expect(unpacked.allSatisfy { $0 >= -8 && $0 <= 7 })
        #expect(Int4Packing.packLastAxis(unpacked, rows: all.count, columns: 2) == all)
    }

    /// ml_dtypes' float8_e4m3fn: 3 mantissa bits, ties to even, subnormals spaced 2^-9, largest 448.
    @Test func float8RoundingTiesToEvenAndClipsAt448() {
        #expect(Float8E4M3.round(1.0625) == 1)        // halfway between 1 and 1.125: even
        #expect(Float8E4M3.round(1.1875) == 1.25)     // halfway between 1.125 and 1.25: even
        #expect(Float8E4M3.round(0.001) == 0.001953125)  // 0.001 / 2^-9 = 0.512: one subnormal step
        #expect(Float8E4M3.round(-300) == -288)
        #expect(Float8E4M3.round(0) == 0 && Float8E4M3.round(.nan).isNaN)
        #expect(Float8E4M3.quantizeDequantize([1000, -1000, 0.5], scale: 2) == [896, -896, 0.5])
    }

    /// `abs_max_quantize(x, axis=-1)`: scale `127 / (max|x| + 1e-7)`, `round` half to even.
    @Test func absMaxQuantizerScalesPerRow() {
        let x = Tensor(shape: [2, 3], scalars: [1, -0.5, 0.25, 0, 0, 0])
        let (values, scale) = AbsMaxQuantizer.standard.quantize(x, axes: [1])
        #expect(scale.shape == [2, 1])
        #expect(scale.scalars[0] == Float(127) / (Float(1) + Float(1e-7)))
        #expect(values == [127, -63, 32, 0, 0, 0])
    }

    /// `_analyze_quantization_info` and `_get_kernel_scale_shape` for the shapes Keras stores
    /// (Corpus/golden/zoo/einsum_dense_int8_equations.keras): `abcd,cde->abe` squeezes its input scale.
    @Test func einsumScaleLayoutsMatchKeras() throws {
        let cases: [(String, [Int], [Int])] = [
            ("abc,cd->abd", [6, 5], [1, 1, 5]), ("abc,dc->abd", [5, 6], [1, 1, 5]), ("abc,cde->abde", [6, 2, 3], [1, 1, 2, 3]),
            ("abcd,cde->abe", [2, 6, 5], [1, 1, 5]), ("abc,cd->adb", [6, 5], [1, 5, 1]), ("abc,bcd->ad", [4, 6, 5], [1, 5]),
            ("ab,bc->ac", [6, 5], [1, 5]), ("abc,cd->abcd", [6, 3], [1, 1, 6, 3]),
        ]
        for (equation, kernel, scale) in cases {
            let info = try EinsumQuantizationInfo(equation: equation, layer: "test")
            #expect(try info.kernelScaleShape(kernel, layer: "test") == scale, "\(equation)")
        }
        let squeezed = try EinsumQuantizationInfo(equation: "abcd,cde->abe", layer: "test")
        #expect(squeezed.inputReducedAxes == [2, 3] && squeezed.inputSqueezeAxes == [3])
        let inputScale = Tensor(shape: [2, 2, 1, 1], scalars: [1, 2, 3, 4])
        #expect(try squeezed.inputScaleInOutputLayout(inputScale, layer: "test").shape == [2, 2, 1])
        #expect(throws: ReferenceError.self) { try EinsumQuantizationInfo(equation: "...b,bc->...c", layer: "test") }
    }

    /// The policies `layer.quantize(mode)` writes, and `quantization_config`'s block size winning over the policy's.
    @Test func quantizedPoliciesParseAsKerasBuildsThem() throws {
        func policy(_ json: String) throws -> Result<QuantizedPolicy, QuantizedPolicy.Invalid>? {
            QuantizedPolicy.of(layerConfig: try JSONReader.parse(json))
        }
        let int4 = try policy(#"{"dtype": {"class_name": "Int4DTypePolicy", "config": {"mode": "int4/128", "source_name": "float32"}}, "quantization_config": {"class_name": "Int4QuantizationConfig", "config": {"block_size": 3}}}"#)
        #expect(try int4?.get().blockSize == 3)
        // dense_int4_variants' `dense_1`: 7 inputs, 5 units, 3 groups of 3 rows.
        #expect(try int4?.get().denseShapes(inputs: 7, units: 5, bias: true) == [[7, 3], [5], [3, 5], [3, 5], [7]])
        #expect(try policy(#"{"dtype": "int4_from_float32"}"#).map { try $0.get().blockSize } == .some(nil))
        let float8 = try policy(#"{"dtype": {"class_name": "QuantizedFloat8DTypePolicy", "config": {"mode": "float8", "source_name": "float32", "amax_history_length": 16}}}"#)
        #expect(try float8?.get().denseShapes(inputs: 4, units: 3, bias: true) == [[4, 3], [3], [], [16], [], [16], [], [16]])
        #expect(try policy(#"{"dtype": {"class_name": "DTypePolicy", "config": {"name": "float32"}}}"#) == nil)
        guard case .failure? = try policy(#"{"dtype": {"class_name": "Int4DTypePolicy", "config": {"mode": "int4/0"}}}"#) else {
            Issue.record("int4/0 should be refused")
            return
        }
    }
}
