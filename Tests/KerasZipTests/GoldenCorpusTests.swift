import Foundation
import KerasBytes
import KerasOracles
import KerasZip
import Testing

/// Differential test against libzip on every `.keras` archive of the golden corpus (real Keras output).
@Suite struct GoldenCorpusTests {
    static let corpusExists = FileManager.default.fileExists(atPath: TestPaths.goldenCorpus)

    static func kerasFiles() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: TestPaths.goldenCorpus) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".keras") }.sorted()
    }

    @Test(.enabled(if: corpusExists, "Corpus/golden does not exist yet (another helper is creating it)"))
    func everyGoldenArchiveReadsCleanlyAndMatchesLibzip() throws {
        let files = Self.kerasFiles()
        #expect(files.count >= 1, "Corpus/golden exists but holds no .keras file")
        for file in files {
            let path = TestPaths.goldenCorpus + "/" + file
            let view = try ByteView(mappingFileAt: path)
            let archive = try ZipArchive.read(view)
            #expect(archive.issues.isEmpty, "\(file): \(archive.issues)")
            #expect(archive.verifyAll().isEmpty, "\(file)")
            #expect(archive.entry(named: "config.json") != nil, "\(file)")
            try expectSameAsOracle(view.bytes)
        }
    }
}
