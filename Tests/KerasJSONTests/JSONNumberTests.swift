import KerasJSON
import Testing

/// The number model: exact integers, Python floats, representational equality.
struct JSONNumberTests {
    @Test func integerDecimalAcceptsOnlyJSONIntegers() {
        #expect(JSONNumber.integer(decimal: "42") == JSONNumber(42))
        #expect(JSONNumber.integer(decimal: "-0") == JSONNumber(0))
        #expect(JSONNumber.integer(decimal: "-9223372036854775808")?.intValue == Int.min)
        #expect(JSONNumber.integer(decimal: "9223372036854775808")?.intValue == nil)
        for bad in ["", "-", "01", "+1", "1.0", "1e3", " 1", "٣", "0x10"] {
            #expect(JSONNumber.integer(decimal: bad) == nil, "\(bad)")
        }
    }

    @Test func equalityIsRepresentational() {
        #expect(JSONNumber(1) != JSONNumber(1.0))
        #expect(JSONNumber(0.0) != JSONNumber(-0.0))
        #expect(JSONNumber.nan == JSONNumber(Double.nan))
        #expect(JSONNumber.nan.hashValue == JSONNumber(-Double.nan).hashValue)
        #expect(JSONNumber.infinity != JSONNumber.negativeInfinity)
        #expect(Set([JSONNumber(1), JSONNumber(1), JSONNumber(1.0)]).count == 2)
    }

    @Test func bigIntegersConvertToDoubleLikePythonFloat() throws {
        let twoTo1024Minus1 = try #require(JSONNumber.integer(decimal: String(repeating: "1", count: 308)))
        #expect(twoTo1024Minus1.doubleValue != nil)
        let tooBig = try #require(JSONNumber.integer(decimal: "1" + String(repeating: "0", count: 309)))
        #expect(tooBig.doubleValue == nil)
        #expect(tooBig.isInteger && tooBig.floatValue == nil)
        #expect(JSONNumber(2.5).integerDecimal == nil && !JSONNumber(2.5).isInteger)
    }
}
