import KerasFormat
import KerasJSON

/// The edits `saving_utils.model_from_config` (LSU:23-94) makes to a layer entry without `module` (what
/// legacy `.h5` files and Keras 2 / tf-keras configs hold) before deserializing it, applied by
/// Sequential (SEQ:384-391) and Functional (FUN:567-575) to every such entry:
///
///     batch_input_shape = config["config"].pop("batch_input_shape", None)
///     if batch_input_shape is not None:
///         if config["class_name"] == "InputLayer":
///             config["config"]["batch_shape"] = batch_input_shape
///         else:
///             config["config"]["input_shape"] = batch_input_shape
///     axis = config["config"].pop("axis", None)
///     if axis is not None:
///         if isinstance(axis, list) and len(axis) == 1:
///             config["config"]["axis"] = int(axis[0])
///         elif isinstance(axis, (int, float)):
///             config["config"]["axis"] = int(axis)
///
/// and for `Lambda` the Keras 2 arguments are dropped and a list-form function becomes `__lambda__`.
/// One deliberate difference: Keras drops an `axis` list of two or more entries (the layer then takes its
/// default axis, which changes what a Keras 2 `LayerNormalization(axis=[1, 2])` computes); kconform keeps
/// the list, so the layer computes what the file's producer computed (docs/DIVERGENCES.md).
enum LegacyConfig {
    /// Keras 2 Lambda arguments that Keras 3 does not accept (LSU:15-20).
    static let lambdaKeras2Arguments = ["module", "function_type", "output_shape_type", "output_shape_module"]

    /// The entry as Keras 3 deserializes it; unchanged when it is not a legacy entry (it has `module`).
    static func translate(_ envelope: ObjectEnvelope) -> ObjectEnvelope {
        guard envelope.object["module"] == nil, var config = envelope.config.objectValue else { return envelope }
        if let batchInputShape = config.removeValue(forKey: "batch_input_shape"), !batchInputShape.isNull {
            config[envelope.className == "InputLayer" ? "batch_shape" : "input_shape"] = batchInputShape
        }
        if let axis = config["axis"] {
            if let items = axis.arrayValue, items.count == 1, let only = integral(items[0]) {
                config["axis"] = .number(JSONNumber(only))
            } else if let number = integral(axis) {
                config["axis"] = .number(JSONNumber(number))
            }
        }
        if envelope.className == "Lambda" {
            for key in lambdaKeras2Arguments { config.removeValue(forKey: key) }
            if let function = config["function"]?.arrayValue, function.count >= 3 {
                config["function"] = .object(JSONObject([
                    ("class_name", .string("__lambda__")),
                    ("config", .object(JSONObject([("code", function[0]), ("defaults", function[1]), ("closure", function[2])]))),
                ]))
            }
        }
        var object = envelope.object
        object["config"] = .object(config)
        return ObjectEnvelope(.object(object), pointer: envelope.pointer) ?? envelope
    }

    /// `int(value)` of a JSON number (a float truncates toward zero), nil for anything else and for a
    /// value no `Int` holds.
    private static func integral(_ value: JSONValue) -> Int? {
        guard case .number(let number) = value else { return nil }
        if let exact = number.intValue { return exact }
        return number.doubleValue.flatMap { Int(exactly: $0.rounded(.towardZero)) }
    }
}
