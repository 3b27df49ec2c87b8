import Foundation
import Testing

/// `kconform gen` and `kconform conform` as a user runs them: kits, replays, reports, exit statuses.
@Suite struct ConformCommandTests {
    static func scratch(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kconform-\(name)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    static func report(_ folder: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/conformance.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func outcomes(_ report: [String: Any]) -> [String] {
        ((report["cases"] as? [[String: Any]]) ?? []).compactMap { $0["outcome"] as? String }
    }

    @Test func aGeneratedKitRunsThroughConformAndPasses() throws {
        let kit = Self.scratch("kit"), reports = Self.scratch("kit-report")
        defer { try? FileManager.default.removeItem(atPath: kit); try? FileManager.default.removeItem(atPath: reports) }
        let gen = try CommandLineTests.run("gen", "--seed", "3", "--count", "6", "--out", kit)
        #expect(gen.status == 0, "\(gen.error)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: kit + "/MANIFEST.json"))) as? [String: Any])
        let models = try #require(manifest["models"] as? [String: [String: Any]])
        #expect(models.count == 6)
        for (name, model) in models {
            #expect(FileManager.default.fileExists(atPath: kit + "/" + (model["file"] as? String ?? "")), "\(name)")
            #expect(!((model["inputs"] as? [String]) ?? []).isEmpty && !((model["outputs"] as? [String]) ?? []).isEmpty, "\(name)")
            #expect((model["replay"] as? String)?.contains("--seed 3 --index") == true, "\(name)")
        }
        let conform = try CommandLineTests.run("conform", "--kit", kit, "--report", reports)
        #expect(conform.status == 0, "\(conform.output)")
        #expect(Self.outcomes(try Self.report(reports)) == Array(repeating: "pass", count: 6))
        #expect(FileManager.default.fileExists(atPath: reports + "/conformance.md"))
    }

    @Test func aTamperedOutputFailsWithItsReplay() throws {
        let kit = Self.scratch("tampered"), reports = Self.scratch("tampered-report")
        defer { try? FileManager.default.removeItem(atPath: kit); try? FileManager.default.removeItem(atPath: reports) }
        #expect(try CommandLineTests.run("gen", "--seed", "4", "--index", "2", "--out", kit).status == 0)
        let output = kit + "/io/gen-4-2.outputs_0.npy"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
        bytes[bytes.count - 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: output))
        let conform = try CommandLineTests.run("conform", "--kit", kit, "--report", reports)
        #expect(conform.status == 1)
        #expect(conform.output.contains("fail: gen-4-2"))
        #expect(conform.output.contains("replay:"))
        #expect(Self.outcomes(try Self.report(reports)) == ["fail"])
    }

    @Test func aReplayedIndexIsTheSameModel() throws {
        let whole = Self.scratch("whole"), single = Self.scratch("single")
        defer { try? FileManager.default.removeItem(atPath: whole); try? FileManager.default.removeItem(atPath: single) }
        #expect(try CommandLineTests.run("gen", "--seed", "9", "--count", "4", "--out", whole).status == 0)
        #expect(try CommandLineTests.run("gen", "--seed", "9", "--index", "3", "--out", single).status == 0)
        for file in ["io/gen-9-3.inputs_0.npy", "io/gen-9-3.outputs_0.npy"] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: whole + "/" + file)) == Data(contentsOf: URL(fileURLWithPath: single + "/" + file)), "\(file)")
        }
    }

    @Test func aRunWithoutCasesFails() throws {
        let reports = Self.scratch("empty-report")
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let run = try CommandLineTests.run("conform", "--report", reports)
        #expect(run.status == 1)
        #expect(run.error.contains("no case ran"))
        #expect(try Self.report(reports)["cases"] as? [Any] != nil)
    }

    @Test func generatedPropertiesAndTheCorpusPassWithCounts() throws {
        let reports = Self.scratch("generated-report")
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let run = try CommandLineTests.run("conform", "--corpus", "Corpus/golden", "--generated", "8", "--seed", "2", "--report", reports)
        #expect(run.status == 0, "\(run.output)")
        let report = try Self.report(reports)
        let perProperty = try #require(report["perProperty"] as? [String: [String: Any]])
        for property in ["round-trip", "name-stability", "safe-mode", "weights-only", "robustness", "oracles", "predict"] {
            #expect(perProperty[property] != nil, "\(property)")
        }
        let outcomes = Self.outcomes(report)
        #expect(!outcomes.contains("fail") && !outcomes.contains("harness error"))
        #expect(outcomes.filter { $0 == "pass" }.count >= 8 * 7 + 40)
    }
}
