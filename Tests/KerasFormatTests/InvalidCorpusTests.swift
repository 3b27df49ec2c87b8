import Foundation
import KerasFormat
import Testing

/// Every invalid sample of the three readers, checked through the whole file model as `kconform check`
/// sees it: it must fail, and with the rule its `expected.json` names.
@Suite struct InvalidCorpusTests {
    struct Sample: CustomTestStringConvertible, Sendable {
        let path: String
        let ruleID: String
        var testDescription: String { "\(URL(fileURLWithPath: path).lastPathComponent) → \(ruleID)" }
    }

    static let samples: [Sample] = ["zip", "hdf5", "json"].flatMap { kind -> [Sample] in
        let directory = CorpusLocation.invalid.appendingPathComponent(kind)
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("expected.json")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [] }
        // Either {"file": "KC-…"} or {"samples": {"file": {"rule": "KC-…"}}}.
        var map = object.compactMapValues { $0 as? String }
        for (name, entry) in object["samples"] as? [String: [String: Any]] ?? [:] {
            map[name] = entry["rule"] as? String
        }
        return map.sorted { $0.key < $1.key }.map { Sample(path: directory.appendingPathComponent($0.key).path, ruleID: $0.value) }
    }

    @Test func everyReaderHasSamples() {
        for prefix in ["KC-ZIP-", "KC-H5-", "KC-JSON-"] {
            #expect(Self.samples.count { $0.ruleID.hasPrefix(prefix) } >= 10, "\(prefix)")
        }
    }

    @Test(arguments: samples)
    func sampleFailsWithItsRule(sample: Sample) throws {
        let result = try Checker().check(sample.path)
        #expect(!result.passed)
        #expect(result.ruleIDs.contains(sample.ruleID), "\(result.findings.map(\.description))")
    }
}
