import KerasJSON
import Testing

/// The ordered object: Python `dict` semantics with O(1) lookups.
struct JSONObjectTests {
    @Test func pairsWithRepeatedKeysKeepFirstPositionAndLastValue() {
        let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(object.values == [3, 2])
        let literal: JSONObject = ["x": 1, "y": 2, "x": 9]
        #expect(literal.keys == ["x", "y"] && literal["x"] == 9)
    }

    @Test func assignmentReplacesInPlaceAppendsNewAndNilRemoves() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = "two"
        object["d"] = 4
        object["a"] = nil
        #expect(object.keys == ["b", "c", "d"])
        #expect(object["b"] == "two")
        #expect(object.updateValue(5, forKey: "d") == 4)
        #expect(object.removeValue(forKey: "zz") == nil)
        #expect(object.map(\.key) == ["b", "c", "d"])
        #expect(object[1].key == "c" && object[1].value == 3)
    }

    @Test func largeObjectsStayConsistentThroughEdits() {
        var object = JSONObject()
        for number in 0..<500 { object["k\(number)"] = .number(JSONNumber(number)) }
        for number in stride(from: 0, to: 500, by: 3) { object["k\(number)"] = nil }
        object["k1"] = "changed"
        object["new"] = true
        #expect(object.count == 500 - 167 + 1)
        #expect(object["k0"] == nil && object["k3"] == nil)
        #expect(object["k1"] == "changed" && object["k499"] == 499)
        #expect(object.keys.last == "new")
        #expect(object.index(forKey: "k2") == 1)
        for (position, key) in object.keys.enumerated() {
            #expect(object.index(forKey: key) == position)
        }
    }

    @Test func equalityIsOrderedAndScalarExact() {
        let ab: JSONObject = ["a": 1, "b": 2]
        let ba: JSONObject = ["b": 2, "a": 1]
        #expect(ab != ba)
        #expect(ab == JSONObject([("a", 1), ("b", 2)]))
        #expect(ab.hashValue == JSONObject([("a", 1), ("b", 2)]).hashValue)
        let composed: JSONObject = ["\u{E9}": 1]
        let decomposed: JSONObject = ["e\u{301}": 1]
        #expect(composed != decomposed)
        #expect(composed["e\u{301}"] == nil)
    }
}
