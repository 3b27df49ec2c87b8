import Foundation
import KerasBytes
import KerasFormat
import KerasJSON
import KerasZip
import Testing

/// Every file real Keras wrote must read cleanly: no error or warning finding, every dataset readable.
@Suite struct GoldenCorpusTests {
    /// Fewer model files than this means the corpus went missing, not that everything passed.
    static let minimumModelFiles = 14

    @Test func corpusHasTheExpectedNumberOfModelFiles() {
        let paths = CorpusLocation.goldenModelPaths()
        #expect(paths.count >= Self.minimumModelFiles, "found only \(paths.count): \(paths)")
    }

    /// The warnings a golden file must give, by path under Corpus/golden: tf-keras's compiled files name
    /// their optimizer `Custom>Adam`, which Keras 3 replaces by a default-configured one (KC-LEG-005).
    static let expectedWarnings: [String: [String]] = [
        "keras2/adam_trained.h5": ["KC-LEG-005"], "keras2/sgd_momentum.h5": ["KC-LEG-005"],
    ]

    @Test(arguments: CorpusLocation.goldenModelPaths())
    func goldenFilePassesCheckWithoutWarnings(path: String) throws {
        let result = try Checker().check(path)
        let problems = result.findings.filter { $0.severity >= .warning }
        let relative = String(path.dropFirst(CorpusLocation.golden.path.count + 1))
        #expect(problems.map(\.ruleID) == Self.expectedWarnings[relative] ?? [], "\(problems.map(\.description).joined(separator: "\n"))")
        #expect(result.kind != .unknown)
        if let weights = try KerasFile.open(path).weights {
            var datasets = 0
            for source in weights.sources { source.file.walk { if case .dataset = $0 { datasets += 1 } } }
            #expect(result.datasetsRead == datasets)
            #expect(datasets >= weights.variables.count)
            if weights.layout == .keras3 { #expect(datasets == weights.variables.count) }
        }
    }

    @Test(arguments: CorpusLocation.goldenFiles(suffix: ".keras"))
    func archiveJSONMembersRoundTripByteForByte(url: URL) throws {
        let archive = try ZipArchive.read(try ByteView(mappingFileAt: url.path))
        for name in ["config.json", "metadata.json"] {
            let entry = try #require(archive.entry(named: name), "\(name) missing")
            let bytes = try archive.contents(of: entry)
            let value = try JSONReader.parse(bytes)
            #expect(JSONWriter.dumpBytes(value) == bytes.bytes, "\(url.lastPathComponent) \(name) differs after a round trip")
        }
    }

    @Test(arguments: CorpusLocation.goldenFiles(suffix: ".weights.json"))
    func shardedIndexRoundTripsByteForByte(url: URL) throws {
        let bytes = try ByteView(mappingFileAt: url.path)
        var options = JSONWriter.Options()
        options.indent = 4
        #expect(JSONWriter.dumpBytes(try JSONReader.parse(bytes), options: options) == bytes.bytes)
    }

    @Test(arguments: CorpusLocation.goldenFiles(suffix: ".keras"))
    func archiveHasTheLayersOfItsConfig(url: URL) throws {
        let file = try KerasFile.open(url.path)
        let config = try #require(file.config)
        #expect(!config.layers.isEmpty)
        #expect(file.metadata?.kerasVersion == "3.15.1")
        #expect(file.members.map(\.name).prefix(3) == ["metadata.json", "config.json", "model.weights.h5"])
    }

    /// Small files only: each strict prefix is read fully, so the cost grows with the square of the size.
    static let prefixTestMaxBytes = 48 * 1024

    static var smallFiles: [URL] {
        (CorpusLocation.goldenFiles(suffix: ".keras") + CorpusLocation.goldenFiles(suffix: ".h5")).filter {
            ((try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) ?? Int.max) <= prefixTestMaxBytes
        }
    }

    @Test(arguments: smallFiles)
    func everyStrictPrefixIsAnError(url: URL) throws {
        let whole = try ByteView(mappingFileAt: url.path).bytes
        var accepted: [Int] = []
        for length in 0..<whole.count {
            let file = KerasFile.read(bytes: ByteView(copying: whole[0..<length]), name: url.lastPathComponent)
            let result = Checker().check(file)
            if result.passed { accepted.append(length) }
        }
        #expect(accepted.isEmpty, "prefixes accepted: \(accepted.prefix(10))")
    }
}
