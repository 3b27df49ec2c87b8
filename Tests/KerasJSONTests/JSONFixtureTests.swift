import KerasBytes
import KerasJSON
import Testing

/// The CPython-generated fixtures: accepted inputs re-dump byte for byte, rejected ones fail with
/// the code matching Python's error, at Python's line and column.
struct JSONFixtureTests {
    @Test func validFixturesRedumpExactlyAsPython() throws {
        let cases = try FixtureCase.all().filter { $0.kind == "valid" }
        #expect(cases.count >= 45)
        for fixture in cases {
            let expected = try #require(fixture.expected, "\(fixture.name)")
            do {
                let value = try JSONReader.parse(fixture.input)
                let written = JSONWriter.dumpBytes(value, options: fixture.options)
                let identical = written == expected.bytes
                #expect(identical, "\(fixture.name): \(firstDifference(written, expected.bytes))")
            } catch {
                Issue.record("\(fixture.name): rejected with \(error)")
            }
        }
    }

    @Test func validFixturesSurviveASecondRoundTrip() throws {
        for fixture in try FixtureCase.all() where fixture.kind == "valid" {
            let first = try JSONReader.parse(fixture.input)
            let written = JSONWriter.dumpBytes(first)
            let second = try JSONReader.parse(ByteView(copying: written))
            let sameValue = second == first
            let sameBytes = JSONWriter.dumpBytes(second) == written
            #expect(sameValue, "\(fixture.name)")
            #expect(sameBytes, "\(fixture.name)")
        }
    }

    @Test func rejectedFixturesFailWithPythonsErrorAndPosition() throws {
        let cases = try FixtureCase.all().filter { $0.kind == "rejected" }
        #expect(cases.count >= 90)
        for fixture in cases {
            let expectedCode = try #require(fixture.code.flatMap(errorCode(named:)), "\(fixture.name)")
            guard let error = jsonError({ _ = try JSONReader.parse(fixture.input) }) else {
                Issue.record("\(fixture.name): accepted, Python rejects it")
                continue
            }
            #expect(error.code == expectedCode, "\(fixture.name): \(error)")
            if let line = fixture.line, let column = fixture.column {
                let position = "\(error.line):\(error.column)"
                #expect(position == "\(line):\(column)", "\(fixture.name): \(error)")
            }
            if let byteOffset = fixture.byteOffset {
                #expect(error.byteOffset == byteOffset, "\(fixture.name): \(error)")
            }
        }
    }

    @Test func inputsPythonAcceptsButWeCannotHoldAreRejectedAsDocumented() throws {
        let cases = try FixtureCase.all().filter { $0.kind == "unsupported" || $0.kind == "limit" }
        #expect(cases.count >= 15)
        for fixture in cases {
            let expectedCode = try #require(fixture.code.flatMap(errorCode(named:)), "\(fixture.name)")
            let error = jsonError { _ = try JSONReader.parse(fixture.input) }
            #expect(error?.code == expectedCode, "\(fixture.name): \(String(describing: error))")
            let category = fixture.kind == "limit" ? ErrorCategory.limitExceeded : .unsupported
            #expect(expectedCode.category == category, "\(fixture.name)")
        }
    }

    @Test func mutatedDocumentsGetPythonsVerdict() throws {
        let file = try JSONReader.parse(TestFiles.bytes(TestFiles.fixtures + "/differential.json"))
        let cases = try #require(file["cases"]?.arrayValue)
        #expect(cases.count == 1500)
        var accepted = 0
        for (number, entry) in cases.enumerated() {
            let input = ByteView(copying: try #require(hexBytes(entry["inputHex"]?.stringValue ?? "")))
            let error = jsonError { _ = try JSONReader.parse(input) }
            if let dumps = entry["dumpsHex"]?.stringValue {
                guard error == nil else {
                    Issue.record("case \(number): Python accepts, we reject with \(String(describing: error))")
                    continue
                }
                let written = JSONWriter.dumpBytes(try JSONReader.parse(input))
                let identical = written == hexBytes(dumps)
                #expect(identical, "case \(number)")
                accepted += 1
                continue
            }
            let names = (entry["code"]?.stringValue ?? "").split(separator: "|").map(String.init)
            #expect(error.map { names.contains($0.code.name) } == true, "case \(number): \(names), got \(String(describing: error))")
            if let line = entry["line"]?.intValue, let column = entry["column"]?.intValue, let error {
                let position = "\(error.line):\(error.column)"
                #expect(position == "\(line):\(column)", "case \(number): \(error)")
            }
            if let byteOffset = entry["byteOffset"]?.intValue {
                #expect(error?.byteOffset == byteOffset, "case \(number)")
            }
        }
        #expect(accepted >= 150)
    }
}
