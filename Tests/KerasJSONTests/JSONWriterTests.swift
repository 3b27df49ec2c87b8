import KerasJSON
import Testing

/// `json.dumps` conformance of the writer for values built in code.
struct JSONWriterTests {
    @Test func defaultSeparatorsMatchPython() {
        let value: JSONValue = ["a": [1, 2.5, "x", true, false], "b": [:], "c": []]
        #expect(JSONWriter.dumps(value) == #"{"a": [1, 2.5, "x", true, false], "b": {}, "c": []}"#)
        #expect(JSONWriter.dumps(.null) == "null")
    }

    @Test func indentWritesPythonsLayoutWithoutTrailingSpaces() {
        let value: JSONValue = [1, [2, [:]], [], ["a": ["b": []]]]
        let expected = "[\n    1,\n    [\n        2,\n        {}\n    ],\n    [],\n    {\n        \"a\": {\n            \"b\": []\n        }\n    }\n]"
        #expect(JSONWriter.dumps(value, options: .init(indent: 4)) == expected)
        #expect(JSONWriter.dumps([1, 2], options: .init(indent: 0)) == "[\n1,\n2\n]")
        #expect(JSONWriter.dumps(["a": 1], options: .init(indent: -1)) == "{\n\"a\": 1\n}")
    }

    @Test func sortKeysUsesCodePointOrderNotUTF16Order() {
        let value: JSONValue = ["b": 1, "\u{1F600}": 2, "\u{FFFF}": 3, "a": 4, "Z": 5, "é": 6]
        let written = JSONWriter.dumps(value, options: .init(sortKeys: true))
        #expect(written == #"{"Z": 5, "a": 4, "b": 1, "\u00e9": 6, "\uffff": 3, "\ud83d\ude00": 2}"#)
    }

    @Test func ensureASCIIEscapesEverythingOutsidePrintableASCII() {
        let value: JSONValue = "a\u{0}\u{1F}\u{7F}é\u{2028}😀\"\\/\n\r\t\u{8}\u{C}"
        #expect(JSONWriter.dumps(value) == #""a\u0000\u001f\u007f\u00e9\u2028\ud83d\ude00\"\\/\n\r\t\b\f""#)
    }

    @Test func ensureASCIIFalseWritesUTF8AndKeepsDelete() {
        let value: JSONValue = "a\u{1}\u{7F}é😀\""
        #expect(JSONWriter.dumps(value, options: .init(ensureASCII: false)) == "\"a\\u0001\u{7F}é😀\\\"\"")
        #expect(JSONWriter.dumpBytes("é", options: .init(ensureASCII: false)) == [0x22, 0xC3, 0xA9, 0x22])
    }

    @Test func floatsUsePythonRepr() {
        let cases: [(Double, String)] = [
            (1e16, "1e+16"), (1e15, "1000000000000000.0"), (1e-5, "1e-05"), (1e-4, "0.0001"), (100, "100.0"),
            (0.1, "0.1"), (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
            (123456789012345678, "1.2345678901234568e+17"), (1.5e300, "1.5e+300"), (-0.0, "-0.0"), (0, "0.0"),
            (-2.5e-7, "-2.5e-07"), (1e100, "1e+100"), (.nan, "NaN"), (.infinity, "Infinity"), (-.infinity, "-Infinity"),
            (9007199254740993, "9007199254740992.0"), (0.30000000000000004, "0.30000000000000004"),
        ]
        for (value, expected) in cases {
            #expect(JSONWriter.dumps(.number(JSONNumber(value))) == expected, "\(value)")
            #expect(JSONNumber(value).description == expected)
        }
    }

    @Test func integersAreWrittenExactly() throws {
        #expect(JSONWriter.dumps([.number(JSONNumber(Int.min)), .number(JSONNumber(Int.max))])
            == "[-9223372036854775808, 9223372036854775807]")
        let big = try #require(JSONNumber.integer(decimal: "-1267650600228229401496703205376"))
        #expect(JSONWriter.dumps(.number(big)) == "-1267650600228229401496703205376")
    }

    @Test func canonicallyEquivalentKeysAreBothWritten() {
        var object = JSONObject()
        object["\u{E9}"] = 1
        object["e\u{301}"] = 2
        #expect(JSONWriter.dumps(.object(object)) == #"{"\u00e9": 1, "e\u0301": 2}"#)
    }

    @Test func descriptionIsDumps() {
        let value: JSONValue = ["k": [1.0]]
        #expect(value.description == #"{"k": [1.0]}"#)
        let object: JSONObject = ["x": 1]
        #expect(object.description == #"{"x": 1}"#)
    }
}
