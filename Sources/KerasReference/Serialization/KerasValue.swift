import KerasJSON

/// A config value as `keras.saving.deserialize_keras_object` returns it (SER:433-798; FORMAT.md 2.1): plain
/// JSON values, the special markers (`__numpy__`, `__tensor__`, `__bytes__`, `__slice__`, `__ellipsis__`,
/// `__keras_tensor__`, `__lambda__`; `__typespec__` is refused), function references and class instances.
///
/// ``ValueDeserializer`` makes one from a JSON config and ``ValueSerializer`` writes it back as
/// `serialize_keras_object` would write the Python value. Nothing in a value is ever executed: a lambda
/// (deserialized only with safe mode off) is kept as the data it was.
public indirect enum KerasValue: Sendable {
    /// `None`.
    case none
    /// A Python bool.
    case bool(Bool)
    /// A Python int of any size (an integral ``JSONNumber``).
    case int(JSONNumber)
    /// A Python float.
    case float(Double)
    /// A Python str.
    case string(String)
    /// A Python list (JSON arrays; tuples serialize as lists, SER:178-180).
    case list([KerasValue])
    /// A Python dict in insertion order: a JSON object without both `class_name` and `config` (SER:631-637).
    case dict([(key: String, value: KerasValue)])
    /// Python bytes, from `__bytes__` (SER:185-189, 657-658).
    case bytes([UInt8])
    /// A Python slice, from `__slice__` (SER:190-198, 661-678).
    case slice(start: KerasValue, stop: KerasValue, step: KerasValue)
    /// `Ellipsis`, from `__ellipsis__` (SER:202-203, 659-660).
    case ellipsis
    /// A NumPy array (`__numpy__`) or a backend tensor (`__tensor__`).
    case array(KerasArray)
    /// A symbolic `KerasTensor`, from `__keras_tensor__` (SER:204-216, 644-649).
    case kerasTensor(SymbolicTensor)
    /// A lambda (`__lambda__`), deserialized only with safe mode off and never run: its raw config.
    case lambda(JSONObject)
    /// A function reference `{"class_name": "function", ...}` (SER:721-737).
    case function(FunctionReference)
    /// A class instance; references to one shared object are one instance (`===`).
    case object(KerasInstance)
}

extension KerasValue {
    /// A reference to a named function, resolved by the safety policy but never called.
    public struct FunctionReference: Sendable, Equatable {
        /// The envelope's `module` (`"builtins"` for Keras's own functions).
        public let module: String?
        /// The function's name (the envelope's `config`).
        public let name: String
        /// The envelope's `registered_name`.
        public let registeredName: String?
        /// Whether the safety policy resolved it to one of Keras's own functions (not a registration).
        public let isKerasFunction: Bool
    }

    /// The dict's value for `key`, when this is a dict holding it.
    public subscript(key: String) -> KerasValue? {
        guard case .dict(let items) = self else { return nil }
        return items.first { $0.key == key }?.value
    }
}
