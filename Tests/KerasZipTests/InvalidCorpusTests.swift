import Foundation
import KerasBytes
import KerasZip
import Testing

/// The committed invalid samples under Corpus/invalid/zip stay in sync with ``InvalidZipSamples`` and yield
/// their expected rule. Regenerate with `KCONFORM_REGENERATE_CORPUS=1 swift test --filter InvalidCorpusTests`.
@Suite(.serialized) struct InvalidCorpusTests {
    static let regenerate = ProcessInfo.processInfo.environment["KCONFORM_REGENERATE_CORPUS"] == "1"

    static var corpusSamples: [InvalidZipSample] { InvalidZipSamples.all.filter { $0.limits == nil } }

    static func expectedJSON() -> Data {
        let lines = corpusSamples.map { "  \"\($0.fileName)\": \"\($0.code.ruleID)\"" }
        return Data(("{\n" + lines.joined(separator: ",\n") + "\n}\n").utf8)
    }

    @Test func committedFilesMatchTheGenerator() throws {
        let folder = TestPaths.invalidCorpus
        if Self.regenerate {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for sample in Self.corpusSamples {
                try Data(sample.bytes).write(to: URL(fileURLWithPath: folder + "/" + sample.fileName))
            }
            try Self.expectedJSON().write(to: URL(fileURLWithPath: folder + "/expected.json"))
        }
        for sample in Self.corpusSamples {
            let data = try #require(FileManager.default.contents(atPath: folder + "/" + sample.fileName),
                                    "\(sample.fileName) is missing; regenerate the corpus")
            #expect(Array(data) == sample.bytes, "\(sample.fileName) differs from the generator; regenerate the corpus")
        }
        #expect(FileManager.default.contents(atPath: folder + "/expected.json") == Self.expectedJSON())
        let withoutFile = Set(InvalidZipSamples.all.filter { $0.limits != nil }.map(\.code))
        #expect(withoutFile == Set(InvalidZipSamples.codesWithoutCorpusFile.keys))
    }

    @Test func everyListedFileYieldsItsExpectedRule() throws {
        let folder = TestPaths.invalidCorpus
        let data = try #require(FileManager.default.contents(atPath: folder + "/expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".zip") }
        #expect(Set(files) == Set(expected.keys), "every .zip in the folder is listed, and every listed file exists")
        #expect(expected.count >= ZipError.Code.all.count - InvalidZipSamples.codesWithoutCorpusFile.count)
        for (file, ruleID) in expected.sorted(by: { $0.key < $1.key }) {
            let view = try ByteView(mappingFileAt: folder + "/" + file)
            let rules = Set(observedCodes(view.bytes).map(\.ruleID))
            #expect(rules == [ruleID], "\(file): got \(rules.sorted())")
        }
    }
}
