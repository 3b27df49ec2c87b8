import Foundation
import KerasFormat
import KerasReference
import Testing

/// `kconform check --load`: a load by the reference core after the checks, reported as findings.
@Suite struct CheckLoadTests {
    static func json(_ run: CommandLineTests.Run) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    }

    static func ruleIDs(_ report: [String: Any]) -> [String] {
        let files = report["files"] as? [[String: Any]] ?? []
        return files.flatMap { ($0["findings"] as? [[String: Any]] ?? []).compactMap { $0["ruleId"] as? String } }
    }

    @Test func goldenCorpusLoadsWithoutErrorsAndSaysSo() throws {
        let run = try CommandLineTests.run("check", "--load", "--format", "json", "Corpus/golden")
        #expect(run.status == 0, "\(run.output.prefix(4000))")
        let report = try Self.json(run)
        #expect(report["load"] as? Bool == true)
        #expect((report["summary"] as? [String: Any])?["errors"] as? Int == 0)
        let ids = Self.ruleIDs(report)
        #expect(ids.filter { $0 == Rule.modelLoaded.id }.count >= 35)
        #expect(!ids.contains { $0.hasPrefix("KC-REF-") })
    }

    @Test func withoutLoadNothingIsLoaded() throws {
        let run = try CommandLineTests.run("check", "--format", "json", "Corpus/golden/seq_mlp.keras")
        let report = try Self.json(run)
        #expect(report["load"] as? Bool == false)
        #expect(!Self.ruleIDs(report).contains { $0.hasPrefix("KC-LOAD-") })
    }

    @Test func textAndSARIFNameTheLoad() throws {
        let text = try CommandLineTests.run("check", "--load", "Corpus/golden/seq_mlp.keras")
        #expect(text.status == 0)
        #expect(text.output.contains("KC-LOAD-001"))
        let sarif = try CommandLineTests.run("check", "--load", "--format", "sarif", "Corpus/golden/seq_mlp.keras")
        #expect(sarif.output.contains("\"KC-LOAD-001\""))
    }

    @Test func failingFilesAreNotLoaded() throws {
        let run = try CommandLineTests.run("check", "--load", "--format", "json", "Corpus/attacks/a1_lambda_layer.keras")
        #expect(run.status == 1)
        let ids = Self.ruleIDs(try Self.json(run))
        #expect(ids.contains(Rule.loadNotAttempted.id))
        #expect(!ids.contains(Rule.modelLoaded.id))
    }

    /// A Dense without `units` passes the structural and safety checks; Keras's load fails on it, and so does ours.
    @Test func loadErrorBecomesAFindingWithItsPointer() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kconform-checkload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: CommandLineTests.repositoryRoot.appendingPathComponent("Corpus/golden/folder_model"), to: directory)
        let configURL = directory.appendingPathComponent("config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        var inner = try #require(config["config"] as? [String: Any])
        var layers = try #require(inner["layers"] as? [[String: Any]])
        var dense = try #require(layers[1]["config"] as? [String: Any])
        dense["units"] = nil
        layers[1]["config"] = dense
        inner["layers"] = layers
        config["config"] = inner
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        let plain = try CommandLineTests.run("check", directory.path)
        #expect(plain.status == 0, "\(plain.output)")
        let run = try CommandLineTests.run("check", "--load", "--format", "json", directory.path)
        #expect(run.status == 1)
        let report = try Self.json(run)
        let findings = (report["files"] as? [[String: Any]])?.first?["findings"] as? [[String: Any]] ?? []
        let failure = try #require(findings.first { ($0["ruleId"] as? String) == "KC-REF-001" })
        #expect(failure["severity"] as? String == "error")
        #expect((failure["location"] as? [String: Any])?["jsonPointer"] as? String == "/config/layers/1/config/units")
    }

    @Test func referenceRulesMirrorEveryReferenceErrorCode() {
        #expect(Rule.referenceRules.count == ReferenceError.Code.all.count)
        for code in ReferenceError.Code.all {
            let rule = RuleCatalogue.rule(id: code.ruleID)
            #expect(rule?.name == code.name, "\(code.ruleID)")
            #expect(rule?.severity == .error)
        }
        for rule in Rule.loadRules { #expect(RuleCatalogue.rule(id: rule.id) == rule) }
    }

    @Test func rulesCommandListsTheNewRules() throws {
        let run = try CommandLineTests.run("rules")
        for id in ["KC-W-014", "KC-W-015", "KC-LOAD-001", "KC-LOAD-003", "KC-REF-006"] { #expect(run.output.contains(id), "\(id)") }
    }
}
