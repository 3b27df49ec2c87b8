import Foundation
import KerasFormat
import Testing

/// The SARIF 2.1.0 rendering: rule metadata, levels, and physical and logical locations.
@Suite struct SARIFReportTests {
    static func render(_ report: CheckReport) throws -> [String: Any] {
        let text = ReportRendering.json(report.sarif())
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static let findings = [
        Finding(.lambdaCode, "code", at: Location(file: "dir/a model.keras", member: "config.json", jsonPointer: "/config/layers/1")),
        Finding(.lambdaLayer, "harmless", at: Location(file: "dir/a model.keras", member: "config.json", jsonPointer: "/config")),
        Finding(.softLink, "link", at: Location(file: "w.weights.h5", hdf5Path: "/layers/dense/vars/1")),
        Finding(.unrecognizedFile, "?", at: Location(file: "x.bin", byteOffset: 12)),
        Finding(.memberOrder, "order", at: Location(file: "x.bin")),
    ]

    @Test func logHasOneRunWithTheWholeCatalogue() throws {
        let log = try Self.render(CheckReport(results: [], unreadable: []))
        #expect(log["version"] as? String == "2.1.0")
        #expect((log["$schema"] as? String)?.contains("sarif-2.1.0") == true)
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "kconform")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.count == RuleCatalogue.all.count)
        let lambda = try #require(rules.first { $0["id"] as? String == "KC-SAFE-001" })
        #expect((lambda["defaultConfiguration"] as? [String: Any])?["level"] as? String == "error")
        #expect(((lambda["fullDescription"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
        #expect(((lambda["help"] as? [String: Any])?["text"] as? String)?.contains("A1") == true)
        #expect((lambda["properties"] as? [String: Any])?["threatClass"] as? String == "A1")
        #expect(run["results"] as? [Any] != nil)
    }

    @Test func resultsCarryLevelsAndLocations() throws {
        let result = CheckResult(path: "dir/a model.keras", kind: .kerasArchive, findings: Self.findings, datasetsRead: 0, bytesRead: 0)
        var unreadable: [KerasFileError] = []
        do { _ = try Checker().check("/nonexistent/kconform-gone.keras") } catch { unreadable.append(error) }
        let log = try Self.render(CheckReport(results: [result], unreadable: unreadable))
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        let levels: [String] = results.compactMap { $0["level"] as? String }
        #expect(levels == ["error", "warning", "error", "error", "note"])
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        for result in results {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == result["ruleId"] as? String)
        }
        let first = try #require((results[0]["locations"] as? [[String: Any]])?.first)
        let physical = try #require(first["physicalLocation"] as? [String: Any])
        #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "dir/a%20model.keras")
        #expect(physical["region"] == nil)
        let logical = try #require(first["logicalLocations"] as? [[String: Any]])
        #expect(logical.map { $0["name"] as? String } == ["config.json", "/config/layers/1"])
        #expect(logical.last?["fullyQualifiedName"] as? String == "config.json#/config/layers/1")
        let offset = try #require((results[3]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((offset["region"] as? [String: Any])?["byteOffset"] as? Int == 12)
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["executionSuccessful"] as? Bool == false)
        #expect((invocation["toolExecutionNotifications"] as? [Any])?.count == 1)
    }
}
