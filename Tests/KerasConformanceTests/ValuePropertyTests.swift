import Foundation
@testable import KerasConformance
import KerasJSON
import KerasReference
import Testing

/// Generated config values (``ValueGenerator``, seed 20261122, 2,000 cases): deserializing never traps and
/// either refuses with a rule id or gives a value whose re-serialization deserializes to the same value and
/// re-serializes identically (a fixed point after one round, where Keras drops `keras_history`).
struct ValuePropertyTests {
    static let cases = Int(ProcessInfo.processInfo.environment["KCONFORM_VALUE_CASES"] ?? "") ?? 2_000

    @Test func generatedValuesRoundTrip() throws {
        let generator = ValueGenerator()
        var refused = 0, markers: Set<String> = [], shared = 0
        for index in 0..<Self.cases {
            var choices = Choices(seed: 20_261_122 &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
            let config = generator.value(&choices)
            let text = JSONWriter.dumps(config)
            for marker in ["__numpy__", "__tensor__", "__bytes__", "__slice__", "__ellipsis__", "__keras_tensor__"] where text.contains(marker) {
                markers.insert(marker)
            }
            var first = ValueDeserializer()
            let value: KerasValue
            do throws(ReferenceError) { value = try first.deserialize(config) } catch {
                #expect(error.code.domain == "REF", "case \(index)")
                refused += 1
                continue
            }
            let once = ValueSerializer.serialize(value)
            if JSONWriter.dumps(once).contains("shared_object_id") { shared += 1 }
            var second = ValueDeserializer()
            let again = try second.deserialize(once)
            let twice = ValueSerializer.serialize(again)
            #expect(twice == once, "case \(index): \(text)\n  once  \(once)\n  twice \(twice)")
            var third = ValueDeserializer()
            #expect(ValueSerializer.serialize(try third.deserialize(twice)) == twice, "case \(index)")
            #expect(again.oracleDescription == (try ValueDeserializer().deserializing(once)).oracleDescription, "case \(index)")
        }
        #expect(markers.count == 6, "every marker drawn: \(markers.sorted())")
        #expect(refused > Self.cases / 50 && refused < Self.cases / 2, "refused \(refused) of \(Self.cases)")
        #expect(shared > Self.cases / 50, "shared objects in \(shared) cases")
    }
}

extension ValueDeserializer {
    func deserializing(_ json: JSONValue) throws(ReferenceError) -> KerasValue {
        var copy = self
        return try copy.deserialize(json)
    }
}
