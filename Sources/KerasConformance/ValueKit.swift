import Foundation
import KerasJSON
import KerasReference

/// The serialization part of a conformance kit: `values.json`, random config values
/// (``ValueGenerator``) with what kconform's ``ValueDeserializer`` (safe mode, one sharing scope) makes of
/// each: the value's ``KerasValue/oracleDescription`` and its re-serialization (``ValueSerializer``), or
/// the rule id of the refusal. The format: `Tests/python/README-kit.md`; the oracle:
/// `Tests/python/test_keras_values.py`.
public enum ValueKit {
    /// The `format` field of `values.json`.
    public static let format = "kconform-values/1"

    /// What kconform makes of `config`: `{"value": description, "reserialized": json}` or
    /// `{"error": rule id, "message": reason}`.
    public static func outcome(of config: JSONValue) -> JSONValue {
        var deserializer = ValueDeserializer()
        do throws(ReferenceError) {
            let value = try deserializer.deserialize(config)
            return .object(JSONObject([("value", value.oracleDescription), ("reserialized", ValueSerializer.canonicalSharedIDs(ValueSerializer.serialize(value)))]))
        } catch {
            return .object(JSONObject([("error", .string(error.code.ruleID)), ("message", .string(error.reason + " at " + error.location))]))
        }
    }

    /// The `values.json` document of cases `0..<count` of `seed` (case I is the same value on every machine).
    public static func document(seed: UInt64, count: Int) -> JSONValue {
        let generator = ValueGenerator()
        let cases: [JSONValue] = (0..<count).map { index in
            var choices = Choices(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
            let config = generator.value(&choices)
            let id = "value-" + String(repeating: "0", count: max(0, 4 - String(index).count)) + String(index)
            return .object(JSONObject([("id", .string(id)), ("config", config), ("outcome", outcome(of: config))]))
        }
        return .object(JSONObject([("format", .string(format)), ("seed", .number(JSONNumber.integer(decimal: String(seed)) ?? .integer(0))), ("cases", .array(cases))]))
    }

    /// Writes `DIR/values.json`.
    public static func write(seed: UInt64, count: Int, to directory: String) throws(ConformanceKit.KitError) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw ConformanceKit.KitError(description: "cannot create \(directory): \(error.localizedDescription)")
        }
        try ConformanceKit.write(JSONWriter.dumpBytes(document(seed: seed, count: count)) + [0x0A], to: directory + "/values.json")
    }
}
