import KerasJSON

/// The parsed ``KerasTemplates``: how Keras serializes each object the generators draw.
struct TemplateCatalogue: Sendable {
    /// Group name -> object name -> serialized envelope.
    let groups: [String: [String: JSONValue]]

    /// The catalogue of the generated templates, parsed once.
    static let shared = TemplateCatalogue(lines: KerasTemplates.lines)

    init(lines: String) {
        var groups: [String: [String: JSONValue]] = [:]
        for line in lines.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count == 3 else { preconditionFailure("KerasTemplates: malformed line \(line)") }
            do throws(JSONError) {
                groups[String(parts[0]), default: [:]][String(parts[1])] = try JSONReader.parse(String(parts[2]))
            } catch {
                preconditionFailure("KerasTemplates: \(parts[1]) is not JSON: \(error)")
            }
        }
        self.groups = groups
    }

    /// The envelope of layer class `name` with its constructor's defaults.
    func layer(_ name: String) -> JSONValue {
        guard let template = groups["layers"]?[name] else { preconditionFailure("no template for layer \(name)") }
        return template
    }

    /// The envelope of an initializer, regularizer, constraint or dtype policy.
    func object(_ group: String, _ name: String) -> JSONValue {
        guard let template = groups[group]?[name] else { preconditionFailure("no template \(group) \(name)") }
        return template
    }

    /// The names of a group's templates, sorted (so draws do not depend on dictionary order).
    func names(_ group: String) -> [String] { (groups[group] ?? [:]).keys.sorted() }

    /// Whether Keras marks layer class `name` built in its constructor (it then writes no `build_config`).
    func isBuiltAtInit(_ name: String) -> Bool { groups["built_at_init"]?[name]?.boolValue ?? false }
}

extension JSONValue {
    /// This object with `key` set to `value` (appended when absent, in place when present).
    func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var object) = self else { return self }
        _ = object.updateValue(value, forKey: key)
        return .object(object)
    }

    /// This envelope with `config[key]` set for every pair.
    func settingConfig(_ pairs: [(String, JSONValue)]) -> JSONValue {
        var config = self["config"] ?? .object(JSONObject())
        for (key, value) in pairs { config = config.setting(key, value) }
        return setting("config", config)
    }

    /// This object without `key`.
    func removing(_ key: String) -> JSONValue {
        guard case .object(var object) = self else { return self }
        _ = object.removeValue(forKey: key)
        return .object(object)
    }
}

extension JSONValue {
    static func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
    static func double(_ value: Double) -> JSONValue { .number(JSONNumber(value)) }
    static func ints(_ values: [Int]) -> JSONValue { .array(values.map { .int($0) }) }
    /// A shape with the unknown batch axis first: `[null, 4, 3]`.
    static func batchShape(_ shape: [Int]) -> JSONValue { .array([.null] + shape.map { .int($0) }) }
}
