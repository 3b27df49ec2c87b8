import Foundation
import Testing

/// Runs the built `kconform` executable and checks exit statuses and output as a user sees them.
@Suite struct CommandLineTests {
    struct Run {
        let status: Int32
        let output: String
        let error: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `kconform` binary next to the test bundle (SwiftPM builds it for the test target that depends on it).
    static func executable() throws -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("kconform")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        for configuration in ["debug", "release"] {
            let candidate = repositoryRoot.appendingPathComponent(".build/\(configuration)/kconform")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw CocoaError(.fileNoSuchFile)
    }

    static func run(_ arguments: String...) throws -> Run {
        try execute(arguments)
    }

    static func execute(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                   error: String(decoding: errData, as: UTF8.self))
    }

    static var firstGoldenArchive: String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Corpus/golden").path)) ?? []
        return names.sorted().first { $0.hasSuffix(".keras") }.map { "Corpus/golden/\($0)" }
    }

    @Test func helpNamesEverySubcommand() throws {
        let run = try Self.run("--help")
        #expect(run.status == 0)
        for word in ["check", "inspect", "rules", "Exit status"] { #expect(run.output.contains(word), "\(word)") }
    }

    @Test func usageErrorsExitWithTwo() throws {
        #expect(try Self.run("check").status == 2)
        #expect(try Self.run("check", "--format", "yaml", "x").status == 2)
        #expect(try Self.run("frobnicate").status == 2)
    }

    @Test func unreadablePathExitsWithTwo() throws {
        let run = try Self.run("check", "/nonexistent/kconform.keras")
        #expect(run.status == 2)
        #expect(run.output.contains("UNREADABLE"))
        #expect(try Self.run("inspect", "/nonexistent/kconform.keras").status == 2)
    }

    @Test func goldenArchivePassesAndJSONStartsWithTheSchemaVersion() throws {
        let path = try #require(Self.firstGoldenArchive)
        let text = try Self.run("check", path)
        #expect(text.status == 0, "\(text.output)")
        #expect(text.output.contains("PASS"))
        let json = try Self.run("check", "--format", "json", path)
        #expect(json.status == 0)
        #expect(json.output.hasPrefix("{\n  \"schemaVersion\": 1,"))
        let parsed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect((parsed?["summary"] as? [String: Any])?["errors"] as? Int == 0)
    }

    @Test func brokenFileExitsWithOneAndNamesTheRule() throws {
        let path = NSTemporaryDirectory() + "kconform-cli-\(UUID().uuidString).keras"
        try Data("PK\u{3}\u{4}not really a zip".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try Self.run("check", "--format", "json", path)
        #expect(run.status == 1)
        #expect(run.output.contains("\"ruleId\": \"KC-ZIP-"))
        #expect(run.output.contains("\"severity\": \"error\""))
    }

    @Test func inspectShowsLayersAndVariables() throws {
        let path = try #require(Self.firstGoldenArchive)
        let text = try Self.run("inspect", path)
        #expect(text.status == 0)
        for word in ["Members", "Layers", "Weights structure", "Variables", "Totals", "float32"] {
            #expect(text.output.contains(word), "\(word)")
        }
        let json = try Self.run("inspect", "--format", "json", path)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(parsed?["schemaVersion"] as? Int == 1)
        #expect(((parsed?["variables"] as? [Any])?.count ?? 0) > 0)
    }

    @Test func rulesListsReaderAndFormatRules() throws {
        let run = try Self.run("rules")
        #expect(run.status == 0)
        for id in ["KC-ZIP-001", "KC-H5-001", "KC-JSON-001", "KC-ARC-001", "KC-W-002"] { #expect(run.output.contains(id), "\(id)") }
    }
}
