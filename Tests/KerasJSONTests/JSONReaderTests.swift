import KerasBytes
import KerasJSON
import Testing

/// Reader semantics beyond the CPython fixtures: notes, pointers, locations, number kinds.
struct JSONReaderTests {
    @Test func duplicateKeysKeepFirstPositionAndLastValueAndAreReported() throws {
        let text = #"{"a": 1, "b": {"x": 1, "x": 2, "x": 3}, "a": [true], "c/d~": {"e": 0, "e": 1}}"#
        let document = try JSONReader.parseDocument(ByteView(copying: Array(text.utf8)))
        let root = try #require(document.value.objectValue)
        #expect(root.keys == ["a", "b", "c/d~"])
        #expect(root["a"] == [true])
        #expect(document.value["b"]?["x"] == 3)
        #expect(document.duplicateKeys == ["/b/x", "/c~1d~0/e", "/a"])
        #expect(document.duplicateKeyCount == 4)
        #expect(!document.hasByteOrderMark)
    }

    @Test func duplicateKeyPointersNameArrayIndexes() throws {
        let text = #"[0, {"k": [{"z": 1}, {"z": 1, "z": 2}]}]"#
        let document = try JSONReader.parseDocument(ByteView(copying: Array(text.utf8)))
        #expect(document.duplicateKeys == ["/1/k/1/z"])
    }

    @Test func duplicateKeyReportsAreCappedButCounted() throws {
        let members = (0..<50).map { _ in #""same": 1"# }.joined(separator: ", ")
        let objects = Array(repeating: "{\(members)}", count: 20).joined(separator: ", ")
        var limits = JSONLimits()
        limits.maxReportedDuplicateKeys = 5
        let document = try JSONReader.parseDocument(ByteView(copying: Array("[\(objects)]".utf8)), limits: limits)
        #expect(document.duplicateKeys.count == 5)
        #expect(document.duplicateKeys.first == "/0/same")
        #expect(document.duplicateKeyCount == 20 * 49)
    }

    @Test func byteOrderMarkIsSkippedAndNoted() throws {
        let document = try JSONReader.parseDocument(ByteView(copying: [0xEF, 0xBB, 0xBF] + Array("[1]".utf8)))
        #expect(document.hasByteOrderMark)
        #expect(document.value == [1])
    }

    @Test func canonicallyEquivalentKeysStayDistinct() throws {
        let value = try JSONReader.parse("{\"\u{E9}\": 1, \"e\u{301}\": 2}")
        let object = try #require(value.objectValue)
        #expect(object.count == 2)
        #expect(object["\u{E9}"] == 1)
        #expect(object["e\u{301}"] == 2)
        #expect(JSONValue.string("\u{E9}") != JSONValue.string("e\u{301}"))
    }

    @Test func integersKeepEveryDigit() throws {
        let value = try JSONReader.parse("[1180591620717411303424, -9223372036854775808, 9223372036854775808, -0]")
        let numbers = (value.arrayValue ?? []).compactMap { $0.numberValue }
        #expect(numbers.count == 4)
        #expect(numbers[0].integerDecimal == "1180591620717411303424")
        #expect(numbers[0].intValue == nil)
        #expect(numbers[0].doubleValue == 1180591620717411303424.0)
        #expect(numbers[1].intValue == Int.min)
        #expect(numbers[2].intValue == nil && numbers[2].integerDecimal == "9223372036854775808")
        #expect(numbers[3] == JSONNumber(0) && numbers[3].isInteger)
    }

    @Test func integersTooLargeForAFloatHaveNoDoubleValue() throws {
        let huge = try JSONReader.parse(String(repeating: "9", count: 400))
        #expect(huge.numberValue?.isInteger == true)
        #expect(huge.doubleValue == nil)
    }

    @Test func floatsFollowPythonFloatConversion() throws {
        let value = try JSONReader.parse("[-0.0, 1E5, 1e400, -1e400, 1e-400, NaN, 3.0]")
        let numbers = (value.arrayValue ?? []).compactMap { $0.numberValue }
        #expect(numbers[0].floatValue?.sign == .minus && numbers[0].floatValue == 0)
        #expect(numbers[1].floatValue == 100_000 && !numbers[1].isInteger)
        #expect(numbers[2].floatValue == .infinity)
        #expect(numbers[3].floatValue == -.infinity)
        #expect(numbers[4].floatValue == 0)
        #expect(numbers[5].floatValue?.isNaN == true)
        #expect(numbers[6].intValue == nil && numbers[6].doubleValue == 3)
    }

    @Test func errorPointerNamesTheInnermostOpenContainer() throws {
        let error = try #require(parseError(#"{"layers": [{"config": {"units": x}}]}"#))
        #expect(error.code == JSONError.Code.expectedValue)
        #expect(error.pointer == "/layers/0/config")
        #expect(error.location == "line 1, column 34 (byte 33) in /layers/0/config")
    }

    @Test func errorPointerIsNilOutsideContainersAndEmptyAtTheRoot() throws {
        let outside = try #require(parseError("[1] x"))
        let inside = try #require(parseError("[1 x]"))
        #expect(outside.pointer == nil)
        #expect(inside.pointer == "")
        #expect(inside.location.hasSuffix("in the root container"))
    }

    @Test func errorLineAndColumnCountCodePointsAfterTheLastNewline() throws {
        let error = try #require(parseError("{\"é😀\":\n  [1,\r\n \"ü\" x]}"))
        #expect(error.code == JSONError.Code.expectedComma)
        #expect(error.line == 3)
        #expect(error.column == 6)
        #expect(error.byteOffset == 24)
    }

    @Test func errorsAreEqualByCodeOnly() throws {
        let first = try #require(parseError("[1,]"))
        let second = try #require(parseError("{\"a\":\n}"))
        #expect(first == second)
        #expect(first.reason != second.reason)
        let third = try #require(parseError("[1"))
        #expect(first != third)
        #expect(first.description.hasPrefix("KC-JSON-002 "))
    }

    @Test func surrogateErrorsWaitForPythonsOwnErrors() throws {
        #expect(parseError(#"["\ud800", ]"#)?.code == JSONError.Code.expectedValue)
        #expect(parseError(#"["\ud800"]"#)?.code == JSONError.Code.loneSurrogateEscape)
        #expect(parseError(bytes: Array(#"["\ud800", ""#.utf8) + [0xED, 0xA0, 0x80, 0x22, 0x5D])?.code
            == JSONError.Code.loneSurrogateEscape)
        #expect(parseError(bytes: [0x5B, 0x22, 0xED, 0xB0, 0x80, 0x22, 0x2C] + Array(#""\udc00"]"#.utf8))?.code
            == JSONError.Code.encodedSurrogate)
    }

    @Test func surrogatePairsBecomeOneScalar() throws {
        let value = try JSONReader.parse(#""\ud83d\ude00\uD83D\uDE00""#)
        #expect(value.stringValue == "😀😀")
        #expect(value.stringValue?.unicodeScalars.count == 2)
    }

    @Test func slicesOfALargerViewParseOnTheirOwn() throws {
        let whole = ByteView(copying: Array("xx[1, {\"a\": 2}]yy".utf8))
        let slice = try #require(whole.slice(offset: 2, length: 13))
        #expect(try JSONReader.parse(slice) == [1, ["a": 2]])
        let longer = try #require(whole.slice(offset: 2, length: 14))
        let error = try #require(jsonError { _ = try JSONReader.parse(longer) })
        #expect(error.code == JSONError.Code.trailingData)
        #expect(error.byteOffset == 13)
    }

    @Test func emptyViewIsEmptyInput() {
        #expect(jsonError { _ = try JSONReader.parse(ByteView.empty) }?.code == JSONError.Code.emptyInput)
        #expect(parseError(" \t\r\n")?.code == JSONError.Code.emptyInput)
    }

    @Test func valueConveniencesAnswerOnlyForTheirKind() throws {
        let value = try JSONReader.parse(#"{"s": "x", "b": false, "i": 7, "f": 0.5, "a": [null], "o": {}}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == false)
        #expect(value["i"]?.intValue == 7)
        #expect(value["i"]?.doubleValue == 7)
        #expect(value["f"]?.doubleValue == 0.5)
        #expect(value["f"]?.intValue == nil)
        #expect(value["a"]?[0]?.isNull == true)
        #expect(value["a"]?[1] == nil)
        #expect(value["a"]?[-1] == nil)
        #expect(value["o"]?.objectValue?.isEmpty == true)
        #expect(value["missing"] == nil)
        #expect(value["s"]?["s"] == nil)
        #expect(value[0] == nil)
        #expect(value["s"]?.boolValue == nil)
        #expect(value["a"]?.objectValue == nil)
    }
}
