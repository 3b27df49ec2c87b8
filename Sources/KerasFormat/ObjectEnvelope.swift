import KerasJSON

/// A serialized Keras object: `{"module", "class_name", "config", "registered_name", ...}` (FORMAT.md 2.1).
public struct ObjectEnvelope: Sendable {
    /// The exported namespace or Python module; nil when null or absent (legacy entries).
    public let module: String?
    /// The class name, or a special marker such as `__lambda__`.
    public let className: String
    /// The object's config: an object for classes, a string for functions.
    public let config: JSONValue
    /// `package>Name` for registered classes, the class name for unregistered ones, nil for built-ins.
    public let registeredName: String?
    /// The `build_config`, when present.
    public let buildConfig: JSONValue?
    /// The `compile_config`, when present.
    public let compileConfig: JSONValue?
    /// The `shared_object_id`, when present.
    public let sharedObjectID: JSONNumber?
    /// The JSON pointer of the envelope.
    public let pointer: String
    /// The whole envelope object.
    public let object: JSONObject

    /// The envelope of `value`, or nil when `value` is not an object with `class_name` and `config`.
    public init?(_ value: JSONValue, pointer: String) {
        guard let object = value.objectValue, let className = object["class_name"]?.stringValue,
              let config = object["config"]
        else { return nil }
        self.object = object
        self.className = className
        self.config = config
        self.module = object["module"]?.stringValue
        self.registeredName = object["registered_name"]?.stringValue
        self.buildConfig = object["build_config"]
        self.compileConfig = object["compile_config"]
        if case .number(let number)? = object["shared_object_id"] { sharedObjectID = number } else { sharedObjectID = nil }
        self.pointer = pointer
    }

    /// `config.name` when it is a string.
    public var name: String? { config["name"]?.stringValue ?? object["name"]?.stringValue }

    /// The name Keras prints for the class: `keras.layers.Dense`, `my_pkg>Block`.
    public var qualifiedName: String {
        if let registeredName, registeredName.contains(">") { return registeredName }
        if let module { return "\(module).\(className)" }
        return className
    }
}

/// JSON pointer helpers (RFC 6901).
enum JSONPointer {
    /// `base` extended by one reference token, escaped.
    static func appending(_ base: String, _ token: String) -> String {
        var escaped = base + "/"
        for character in token {
            switch character {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `base` extended by an array index.
    static func appending(_ base: String, _ index: Int) -> String { base + "/" + String(index) }
}
