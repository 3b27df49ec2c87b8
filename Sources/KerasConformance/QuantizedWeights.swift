import KerasFormat
import KerasReference

/// Seeded values for the variables of a quantized `Dense` or `EinsumDense`, in the dtypes and ranges Keras
/// 3.15.1 stores after `layer.quantize(mode)`: int8 kernels in [-127, 127] with float32 scales > 0; int4
/// kernels of values in [-8, 7] packed two per byte along the columns (a zero padding nibble), with
/// per-channel scales, or per-group scales, int8 zero points in [-8, 7] and `g_idx` = `row / block_size`;
/// float8 kernels as float values with scalar scales > 0 and non-negative amax histories. Biases get the
/// float values of every other variable.
enum QuantizedWeights {
    /// Assigns `layer`'s variables from `choices` when it is a quantized Dense or EinsumDense, returning
    /// true; false (nothing drawn) for every other layer.
    static func assign(_ layer: any Layer, _ choices: inout Choices) throws(ReferenceError) -> Bool {
        guard layer.className == "Dense" || layer.className == "EinsumDense",
              case .success(let policy)? = QuantizedPolicy.of(layerConfig: layer.envelope.config) else { return false }
        let variables = Dictionary(layer.variables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        func floats(_ count: Int, _ draw: (inout Choices) -> Float) -> [Float] { (0..<count).map { _ in draw(&choices) } }
        for variable in layer.variables {
            let count = variable.shape.reduce(1, *)
            switch (policy.mode, variable.name) {
            case (.int8, "kernel"):
                try variable.assign(int8: (0..<count).map { _ in Int8(choices.int(in: -127...127)) })
            case (.int8, "kernel_scale"):
                // Keras's `127 / max|w|` for weights of magnitude 0.5 to 8.
                try variable.assign(floats(count) { Float($0.int(in: 64...1024)) / 4 })
            case (.int4, "kernel"):
                guard let columns = variables["kernel_scale"]?.shape.last, let rows = variable.shape.first else { continue }
                let values = (0..<(rows * columns)).map { _ in Int8(choices.int(in: -8...7)) }
                try variable.assign(int8: Int4Packing.packLastAxis(values, rows: rows, columns: columns))
            case (.int4, "kernel_scale") where policy.blockSize == nil:
                // Keras's `7 / max|w|`.
                try variable.assign(floats(count) { Float($0.int(in: 8...128)) / 4 })
            case (.int4, "kernel_scale"):
                // Keras's `(max - min) / 15` of a group.
                try variable.assign(floats(count) { Float($0.int(in: 1...64)) / 512 })
            case (.int4, "kernel_zero"):
                try variable.assign(int8: (0..<count).map { _ in Int8(choices.int(in: -8...7)) })
            case (.int4, "g_idx"):
                let block = policy.blockSize ?? 1
                try variable.assign((0..<count).map { Float($0 / block) })
            case (.float8, "inputs_scale"), (.float8, "kernel_scale"), (.float8, "outputs_grad_scale"):
                // `amax / 448` for amax of 1/2 to 8.
                try variable.assign(floats(count) { Float($0.int(in: 1...16)) / 1024 })
            case (.float8, let name) where name.hasSuffix("_amax_history"):
                try variable.assign(floats(count) { Float($0.int(in: 0...1024)) / 256 })
            default:
                try variable.assign(floats(count) { Float($0.int(in: -512...512)) / 1024 })
            }
        }
        return true
    }
}
