import Foundation
import KerasFormat
import KerasJSON
import KerasReference
import Testing

/// `ValueDeserializer` and `ValueSerializer` against Keras: every case of
/// `Corpus/golden/serialization/keras_values.json` (values serialized by Keras 3.15.1 and Keras's own
/// outcome of deserializing them, written by `scripts/conformance/keras_values.py golden`) gives the same
/// description and re-serialization, or an error where Keras raised.
@Suite struct ValueSerializationTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Corpus/golden/serialization/keras_values.json")

    /// The cases, one per line of the fixture (the generator writes them so). A line kconform's JSON reader
    /// refuses (a lone surrogate, which Python keeps and a Swift string cannot hold: docs/DIVERGENCES.md)
    /// is returned as its id with a nil case, and must be one where Keras raised too.
    static func cases() throws -> [(id: String, item: JSONValue?)] {
        let lines = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("{\"id\": ") }
        return lines.map { line in
            let text = line.hasSuffix(",") ? String(line.dropLast()) : String(line)
            let id = text.split(separator: "\"", maxSplits: 4).dropFirst(3).first.map(String.init) ?? "?"
            do throws(JSONError) { return (id, try JSONReader.parse(text)) } catch { return (id, nil) }
        }
    }

    static func outcome(_ config: JSONValue) -> JSONValue {
        var deserializer = ValueDeserializer()
        do throws(ReferenceError) {
            let value = try deserializer.deserialize(config)
            return .object(JSONObject([("value", value.oracleDescription), ("reserialized", ValueSerializer.canonicalSharedIDs(ValueSerializer.serialize(value)))]))
        } catch {
            return .object(JSONObject([("error", .string(error.code.ruleID))]))
        }
    }

    /// Cases where kconform knowingly differs (docs/DIVERGENCES.md, "Config values"): the value layer keeps
    /// an object's inner config as written, where Keras runs the class's constructor and `get_config`.
    static let knownDivergences: [String: String] = [
        "object-error-bad-config-key": "Keras's Zeros(bogus=1) raises TypeError; kconform does not check constructor arguments of objects",
        "object-lenient-src-module-saveable": "Keras re-serializes keras.src.losses.losses.MeanSquaredError by its public name and get_config; kconform as written",
    ]

    @Test func everyKerasCaseDeserializesAsKerasDoes() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 40)
        #expect(Set(Self.knownDivergences.keys).isSubset(of: Set(cases.map(\.id))))
        var errors = 0
        for (id, parsed) in cases where Self.knownDivergences[id] == nil {
            guard let item = parsed else {
                #expect(lines(containing: id).contains("\"error\""), "\(id): kconform's JSON reader refuses the case, Keras did not raise")
                errors += 1
                continue
            }
            let config = try #require(item["config"])
            let keras = try #require(item["outcome"])
            let ours = Self.outcome(config)
            if keras["error"] != nil {
                errors += 1
                #expect(ours["error"] != nil, "\(id): Keras raised \(keras["error"]!) but kconform deserialized \(ours)")
            } else {
                #expect(ours["value"] == keras["value"], "\(id): description\n  ours  \(ours["value"] ?? ours)\n  keras \(keras["value"]!)")
                #expect(ours["reserialized"] == keras["reserialized"], "\(id): re-serialization\n  ours  \(ours["reserialized"] ?? ours)\n  keras \(keras["reserialized"]!)")
            }
        }
        #expect(errors >= 5, "the fixture's error cases")
    }

    private func lines(containing id: String) -> String {
        (try? String(contentsOf: Self.fixture, encoding: .utf8))?.split(separator: "\n").first { $0.contains("\"id\": \"\(id)\"") }.map(String.init) ?? ""
    }

    @Test func aLambdaAnywhereIsRefusedInSafeModeWithItsPointer() throws {
        let config = try JSONReader.parse(#"{"a": [1, {"b": {"class_name": "__lambda__", "config": {"value": ["ZGF0YQ==", null, null]}}}]}"#)
        var safe = ValueDeserializer()
        #expect(throws: ReferenceError.self) { try safe.deserialize(config) }
        do throws(ReferenceError) { _ = try safe.deserialize(config) } catch {
            #expect(error.code == ReferenceError.Code.unsafeLambda)
            #expect(error.location == "/a/1/b")
        }
        var unsafe = ValueDeserializer(options: LoadOptions(safeMode: false))
        guard case .lambda = try unsafe.deserialize(config)["a"].flatMap({ if case .list(let items) = $0 { items[1]["b"] } else { nil } }) else {
            Issue.record("with safe mode off the lambda is kept as data")
            return
        }
    }

    @Test func aSharedObjectIsOneInstanceAndLaterCopiesAreNotRead() throws {
        // Keras returns the instance recorded under the id without looking at the rest of the envelope (SER:746-749).
        let config = try JSONReader.parse("""
            [{"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null, "shared_object_id": 7},
             {"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null, "shared_object_id": 7},
             {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}]
            """)
        var deserializer = ValueDeserializer()
        guard case .list(let items) = try deserializer.deserialize(config),
              case .object(let first) = items[0], case .object(let second) = items[1], case .object(let third) = items[2] else {
            Issue.record("three instances expected")
            return
        }
        #expect(first === second)
        #expect(first !== third)
        let written = ValueSerializer.canonicalSharedIDs(ValueSerializer.serialize(.list(items)))
        #expect(written[0]?["shared_object_id"] == .number(.integer(0)))
        #expect(written[1]?["class_name"] == .string("Zeros"))
        #expect(written[2]?["shared_object_id"] == nil)
    }

    /// A class resolved only by the load options' custom objects is accepted whatever its lookup name
    /// (this one has a space, which an `--allow` registration could not hold), and refused without them.
    @Test func aCustomObjectResolvesAClassThePolicyRefuses() throws {
        let config = try JSONReader.parse(#"{"module": "my_pkg", "class_name": "Scale", "config": {}, "registered_name": "my pkg>Scale"}"#)
        @Sendable func refuse(_ envelope: ObjectEnvelope) throws(ReferenceError) -> any Layer {
            throw ReferenceError(ReferenceError.Code.notImplemented, "never built here")
        }
        var withCustom = ValueDeserializer(options: LoadOptions(customObjects: CustomObjects(["my pkg>Scale": refuse])))
        guard case .object(let instance) = try withCustom.deserialize(config) else {
            Issue.record("a custom object is an instance")
            return
        }
        #expect(instance.verdict == nil)
        var without = ValueDeserializer()
        #expect(throws: ReferenceError.self) { try without.deserialize(config) }
    }

    @Test func anUnknownClassIsRefusedWithoutResolvingIt() throws {
        let config = try JSONReader.parse(#"{"x": {"module": "os", "class_name": "system", "config": {}, "registered_name": null}}"#)
        var deserializer = ValueDeserializer()
        do throws(ReferenceError) {
            _ = try deserializer.deserialize(config)
            Issue.record("os.system must be refused")
        } catch {
            #expect(error.code == ReferenceError.Code.unknownClass)
            #expect(error.location == "/x")
        }
    }
}
