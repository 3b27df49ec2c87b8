import KerasBytes
import KerasJSON
import Testing

/// The code catalogue and the invalid corpus (`Corpus/invalid/json`, made by its `make_samples.py`).
struct JSONErrorCodeTests {
    /// Codes whose default limit needs a sample too large to commit; each is tested with a small limit
    /// in `JSONLimitsTests`.
    static let codesWithoutSample: [String: String] = [
        "inputTooLarge": "needs an input above 64 MiB (JSONLimitsTests.inputLargerThanTheLimitIsRejectedBeforeParsing)",
        "stringTooLong": "needs a string above 16 MiB (JSONLimitsTests.tenMegabyteStringsAreBoundedInTime)",
        "tooManyValues": "needs more than 4M values, an 8 MiB file (JSONLimitsTests.tenMegabytesOfZerosHitTheDefaultValueBudget)",
    ]

    static let corpusDirectory = TestFiles.corpus + "/invalid/json"

    private func expectedRules() throws -> JSONObject {
        let manifest = try JSONReader.parse(TestFiles.bytes(Self.corpusDirectory + "/expected.json"))
        return try #require(manifest.objectValue)
    }

    @Test func codesAreNumberedFromOneWithUniqueNames() {
        let codes = JSONError.Code.all
        #expect(codes.map(\.number) == Array(1...codes.count))
        #expect(Set(codes.map(\.name)).count == codes.count)
        for code in codes {
            #expect(code.domain == "JSON")
            #expect(!code.summary.isEmpty)
            #expect(code.ruleID.hasPrefix("KC-JSON-0"))
        }
    }

    @Test func everyCodeHasACorpusSampleOrAReason() throws {
        let rules = try expectedRules()
        for code in JSONError.Code.all {
            let sampled = rules["\(code.name).json"]?.stringValue == code.ruleID
            let excused = Self.codesWithoutSample[code.name] != nil
            #expect(sampled != excused, "\(code): sampled \(sampled), excused \(excused)")
        }
    }

    @Test func corpusSamplesAreRejectedWithTheirRule() throws {
        let rules = try expectedRules()
        #expect(rules.count >= 16)
        for (file, rule) in rules {
            let input = try TestFiles.bytes(Self.corpusDirectory + "/" + file)
            let error = jsonError { _ = try JSONReader.parse(input) }
            #expect(error?.code.ruleID == rule.stringValue, "\(file): \(String(describing: error))")
        }
    }
}
