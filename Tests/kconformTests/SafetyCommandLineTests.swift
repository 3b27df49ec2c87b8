import Foundation
import Testing

/// `check` as a safety gate from the command line: SARIF, registrations, rules with classes, progress.
@Suite struct SafetyCommandLineTests {
    static let attacks = "Corpus/attacks"
    static let run = CommandLineTests.run

    @Test func sarifOutputIsAValidLogWithTheFindings() throws {
        let result = try Self.run("check", "--format", "sarif", "\(Self.attacks)/a1_lambda_layer.keras")
        #expect(result.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.contains { $0["ruleId"] as? String == "KC-SAFE-001" && $0["level"] as? String == "error" })
    }

    @Test func registrationsFromFlagsAndFilesSilenceOnlyTheirObjects() throws {
        let custom = "\(Self.attacks)/benign/custom_registered.keras"
        #expect(try Self.run("check", custom).status == 1)
        #expect(try Self.run("check", "--allow", "kconform_corpus>*", custom).status == 0)
        #expect(try Self.run("check", "--allow", "kconform_corpus>Scale", "--allow", "kconform_corpus>double", custom).status == 0)
        #expect(try Self.run("check", "--allow", "kconform_corpus>Scale", custom).status == 1)
        #expect(try Self.run("check", "--allow-file", "\(Self.attacks)/benign/allow.txt", custom).status == 0)
        #expect(try Self.run("check", "--allow-file", "\(Self.attacks)/benign/allow.txt", "\(Self.attacks)/a1_lambda_layer.keras").status == 1)
    }

    @Test func badRegistrationsAreUsageErrors() throws {
        let custom = "\(Self.attacks)/benign/custom_registered.keras"
        #expect(try Self.run("check", "--allow", "a>b>c", custom).status == 2)
        let missing = try Self.run("check", "--allow-file", "/nonexistent/kconform-allow.txt", custom)
        #expect(missing.status == 2)
        #expect(missing.error.contains("kconform-allow.txt"))
    }

    @Test func rulesListTheThreatClass() throws {
        let text = try Self.run("rules")
        #expect(text.status == 0)
        let header = try #require(text.output.split(separator: "\n").first)
        #expect(header.contains("class"))
        #expect(text.output.range(of: #"KC-SAFE-001\s+error\s+A1"#, options: .regularExpression) != nil)
        let json = try JSONSerialization.jsonObject(with: Data(try Self.run("rules", "--format", "json").output.utf8)) as? [String: Any]
        let rules = try #require(json?["rules"] as? [[String: Any]])
        #expect(rules.first { $0["id"] as? String == "KC-W-009" }?["threatClass"] as? String == "B3")
    }

    @Test func directoryRunsEndWithSummaryTables() throws {
        let result = try Self.run("check", "\(Self.attacks)/benign")
        #expect(result.output.contains("Summary by kind"))
        #expect(result.output.contains("Summary by rule"))
        #expect(!result.error.contains("kconform: checking"), "short runs print no progress when stderr is not a terminal")
    }

    @Test func longRunsReportProgressOnStandardError() throws {
        let directory = NSTemporaryDirectory() + "kconform-progress-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = CommandLineTests.repositoryRoot.appendingPathComponent("\(Self.attacks)/benign/dense.weights.h5").path
        for index in 0...100 {
            try FileManager.default.copyItem(atPath: source, toPath: directory + String(format: "/w%03d.weights.h5", index))
        }
        let result = try Self.run("check", directory)
        #expect(result.status == 0)
        #expect(result.error.contains("kconform: checking 1 of 101"))
        #expect(result.error.contains("kconform: checked 101 files"))
        #expect(!result.output.contains("kconform: checking"))
    }
}
