import KerasJSON

/// The quantization a `Dense` or `EinsumDense` config declares through its `dtype` (a quantized dtype
/// policy) and its `quantization_config`, read as Keras 3.15.1 reads them
/// (keras/src/dtype_policies/dtype_policy.py, keras/src/quantizers/quantization_config.py): the mode,
/// the int4 block size, the float8 amax history length and the source policy.
///
/// Both the declared-shape check and the reference core's quantized layers use it, so that the variables
/// one expects are the variables the other creates.
public struct QuantizedPolicy: Sendable, Equatable {
    /// `QUANTIZATION_MODES` (dtype_policy.py).
    public enum Mode: String, Sendable, CaseIterable {
        case int8, int4, float8, gptq, awq
    }

    /// A quantized policy Keras refuses to build (an unknown mode, a malformed `int4/<block_size>`).
    public struct Invalid: Error, Equatable, Sendable {
        /// Why, in Keras's words where it has some.
        public let reason: String
    }

    /// The quantization mode.
    public let mode: Mode
    /// int4 only: the rows per group of the sub-channel scheme, nil for per-channel (`block_size` -1 or
    /// None); the `quantization_config`'s `Int4QuantizationConfig.block_size` wins over the policy's
    /// (`get_block_size_for_layer`).
    public let blockSize: Int?
    /// float8 only: the length of the amax histories (`QuantizedFloat8DTypePolicy.amax_history_length`,
    /// 1024 when the policy has none).
    public let amaxHistoryLength: Int
    /// The policy the layer computes in (`source_name`; Keras's global policy, float32, when absent).
    public let sourceName: String

    /// `QuantizedFloat8DTypePolicy.default_amax_history_length`.
    public static let defaultAmaxHistoryLength = 1024

    /// The quantization of the layer config `layerConfig` (the envelope's `config`): nil when its `dtype`
    /// is not a quantized policy, `.failure` when it is one Keras refuses.
    public static func of(layerConfig: JSONValue) -> Result<QuantizedPolicy, Invalid>? {
        guard let dtype = layerConfig["dtype"], !dtype.isNull else { return nil }
        let quantizationConfig = layerConfig["quantization_config"].flatMap { $0.isNull ? nil : $0 }
        if let name = dtype.stringValue {
            // `dtype_policies.get(str)`: a quantized name is `<mode>_from_<source>`.
            guard Mode.allCases.contains(where: { name.hasPrefix($0.rawValue) }) else { return nil }
            let parts = name.components(separatedBy: "_from_")
            guard parts.count == 2 else {
                return .failure(Invalid(reason: "Cannot convert `policy` into a valid pair (`mode`, `source_name`) to instantiate `QuantizedDTypePolicy`. Received: policy=\(name)"))
            }
            let className = parts[0].hasPrefix("float8") ? "QuantizedFloat8DTypePolicy" : parts[0].contains("/") && parts[0].hasPrefix("int4") ? "Int4DTypePolicy" : "QuantizedDTypePolicy"
            return make(className: className, mode: parts[0], source: parts[1], historyLength: .number(JSONNumber(defaultAmaxHistoryLength)), quantizationConfig: quantizationConfig)
        }
        guard let className = dtype["class_name"]?.stringValue,
              ["QuantizedDTypePolicy", "QuantizedFloat8DTypePolicy", "Int4DTypePolicy", "GPTQDTypePolicy", "AWQDTypePolicy"].contains(className)
        else { return nil }
        let config = dtype["config"] ?? .null
        guard let mode = config["mode"]?.stringValue else { return .failure(Invalid(reason: "\(className) needs a string `mode`")) }
        let source = config["source_name"].flatMap { $0.isNull ? nil : $0 }
        if let source, source.stringValue == nil { return .failure(Invalid(reason: "`source_name` must be a string")) }
        let history = config["amax_history_length"] ?? .number(JSONNumber(defaultAmaxHistoryLength))
        return make(className: className, mode: mode, source: source?.stringValue ?? "float32", historyLength: history, quantizationConfig: quantizationConfig)
    }

    private static func make(className: String, mode text: String, source: String, historyLength: JSONValue,
                             quantizationConfig: JSONValue?) -> Result<QuantizedPolicy, Invalid> {
        var modeName = text
        var blockSize: Int?
        switch className {
        case "Int4DTypePolicy":
            // Int4DTypePolicy.__init__: `int4/<block_size>`, block_size -1 or positive.
            let parts = text.components(separatedBy: "/")
            guard parts.count == 2, parts[0] == "int4" else {
                return .failure(Invalid(reason: "Invalid mode for Int4DTypePolicy. Expected format 'int4/<block_size>', but got '\(text)'."))
            }
            guard let block = Int(parts[1]) else {
                return .failure(Invalid(reason: "Invalid mode for Int4DTypePolicy. <block_size> must be an integer. Expected format 'int4/<block_size>', but got '\(text)'."))
            }
            guard block == -1 || block > 0 else {
                return .failure(Invalid(reason: "Invalid block_size in mode. Supported values are -1 (per-channel) or a positive integer (sub-channel), but got \(block) from '\(text)'."))
            }
            modeName = "int4"
            blockSize = block == -1 ? nil : block
        case "GPTQDTypePolicy", "AWQDTypePolicy":
            modeName = text.components(separatedBy: "/")[0]
        default:
            break
        }
        guard let mode = Mode(rawValue: modeName) else {
            return .failure(Invalid(reason: "Invalid quantization mode. Expected one of ('int8', 'int4', 'float8', 'gptq', 'awq'). Received: mode=\(text)"))
        }
        // `get_block_size_for_layer`: an Int4QuantizationConfig's block_size (None when absent) wins.
        if mode == .int4, let quantizationConfig, quantizationConfig["class_name"]?.stringValue == "Int4QuantizationConfig" {
            let block = quantizationConfig["config"]?["block_size"]
            if let block, !block.isNull {
                guard let value = block.intValue, value == -1 || value > 0 else {
                    return .failure(Invalid(reason: "block_size must be None, -1, or a positive integer. Received: block_size=\(block)"))
                }
                blockSize = value == -1 ? nil : value
            } else {
                blockSize = nil
            }
        }
        var length = defaultAmaxHistoryLength
        if className == "QuantizedFloat8DTypePolicy" {
            guard let value = historyLength.intValue else {
                return .failure(Invalid(reason: "`amax_history_length` must be an integer. Received: amax_history_length=\(historyLength)"))
            }
            guard value >= 0 else { return .failure(Invalid(reason: "Negative dimensions are not allowed: amax_history_length=\(value)")) }
            length = value
        }
        if mode == .int8, source == "float16" || source == "mixed_float16" {
            return .failure(Invalid(reason: "Quantization mode='int8' doesn't work well with compute_dtype='float16'."))
        }
        return .success(QuantizedPolicy(mode: mode, blockSize: blockSize, amaxHistoryLength: length, sourceName: source))
    }

    /// The groups of `rows` rows in the int4 sub-channel scheme (`ceil(rows / block_size)`); 1 per channel.
    public func groups(rows: Int) -> Int {
        guard let blockSize, blockSize > 0 else { return 1 }
        return rows / blockSize + (rows % blockSize == 0 ? 0 : 1)
    }

    /// `Dense`'s variable shapes in save order (`variable_serialization_spec`, dense.py 402-452; the
    /// builds `_int8_build`, `_int4_build`, `_float8_build`); nil for GPTQ and AWQ.
    public func denseShapes(inputs: Int, units: Int, bias: Bool) -> [[Int]]? {
        let biasShape: [[Int]] = bias ? [[units]] : []
        switch mode {
        case .int8:
            return [[inputs, units]] + biasShape + [[units]]
        case .int4:
            let packed = [inputs, units / 2 + units % 2]
            guard blockSize != nil else { return [packed] + biasShape + [[units]] }
            let scale = [groups(rows: inputs), units]
            return [packed] + biasShape + [scale, scale, [inputs]]
        case .float8:
            let history = [amaxHistoryLength]
            return [[inputs, units]] + biasShape + [[], history, [], history, [], history]
        case .gptq, .awq:
            return nil
        }
    }
}
