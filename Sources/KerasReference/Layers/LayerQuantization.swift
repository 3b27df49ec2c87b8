import KerasFormat
import KerasJSON

/// What a quantized `Dense` or `EinsumDense` config asks for: its ``QuantizedPolicy`` (mode, int4 block
/// size, float8 history length) and the quantizer of its inputs, resolved as Keras's builds resolve it
/// (`QuantizationConfig.activation_quantizer_or_default`, keras/src/quantizers/quantization_config.py
/// 58-62): with a `quantization_config`, its `activation_quantizer` (null: none, weight-only); without one,
/// `AbsMaxQuantizer()` for int8 and none for int4.
struct LayerQuantization: Sendable {
    /// The policy.
    let policy: QuantizedPolicy
    /// The quantizer of the inputs (int8, int4 per channel); nil for weight-only quantization.
    let inputsQuantizer: AbsMaxQuantizer?
    /// Why kconform cannot compute the layer (a compute dtype other than float32, an unknown quantizer);
    /// nil when it can. The layer still loads and re-saves.
    let unsupported: String?

    /// The quantization of the layer `envelope` describes; nil when its dtype is not a quantized policy.
    /// A policy Keras refuses, or GPTQ and AWQ (whose variables kconform does not lay out), throw.
    static func of(_ envelope: ObjectEnvelope) throws(ReferenceError) -> LayerQuantization? {
        let pointer = envelope.pointer + "/config"
        let policy: QuantizedPolicy
        switch QuantizedPolicy.of(layerConfig: envelope.config) {
        case nil: return nil
        case .failure(let invalid)?: throw ReferenceError(ReferenceError.Code.invalidConfig, invalid.reason, at: pointer + "/dtype")
        case .success(let parsed)?: policy = parsed
        }
        guard policy.mode != .gptq, policy.mode != .awq else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "\(policy.mode.rawValue)-quantized \(envelope.className) has no variables or forward math in kconform", at: pointer + "/dtype")
        }
        var unsupported: String?
        if policy.sourceName != "float32" {
            unsupported = "\(policy.mode.rawValue)-quantized \(envelope.className) computing in \(policy.sourceName) has no forward math in kconform (float32 only)"
        }
        var quantizer: AbsMaxQuantizer?
        let configPointer = pointer + "/quantization_config"
        if let config = envelope.config["quantization_config"], !config.isNull {
            let className = config["class_name"]?.stringValue ?? ""
            let known = ["Int8QuantizationConfig", "Int4QuantizationConfig", "Float8QuantizationConfig"]
            if !known.contains(className) {
                unsupported = unsupported ?? "quantization config \(className) has no forward math in kconform"
            } else if className != "Float8QuantizationConfig", let activation = config["config"]?["activation_quantizer"], !activation.isNull {
                do throws(ReferenceError) {
                    quantizer = try AbsMaxQuantizer(envelope: activation, pointer: configPointer + "/config/activation_quantizer")
                } catch where error.code == ReferenceError.Code.notImplemented {
                    unsupported = unsupported ?? error.reason
                }
            }
        } else if policy.mode == .int8 {
            quantizer = .standard
        }
        return LayerQuantization(policy: policy, inputsQuantizer: policy.mode == .float8 ? nil : quantizer, unsupported: unsupported)
    }
}
