import Foundation
import KerasBytes
import Testing
@testable import KerasHDF5

/// Every error code has a sample in Corpus/invalid/hdf5 (made by scripts/make_invalid_hdf5.py) that
/// produces exactly that code, or a stated reason why it cannot have one.
@Suite struct HDF5InvalidCorpusTests {
    static let directory = ReaderTestFixtures.repositoryRoot + "/Corpus/invalid/hdf5"

    /// Codes that no small file can produce with the default limits.
    static let codesWithoutSample: [String: String] = [
        "rankLimitExceeded": "the default maxRank (64) is above HDF5's own maximum rank (32), which dataspaceInvalid enforces; tested with a lowered limit",
        "linkCountLimitExceeded": "needs more than 1,048,576 links (about 40 MB of symbol nodes); tested with a lowered limit",
        "attributeCountLimitExceeded": "needs more than 65,536 attributes (several MB); tested with a lowered limit",
    ]

    static func samples() throws -> [String: [String: String]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/expected.json"))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return json["samples"] as! [String: [String: String]]
    }

    static func sampleNames() -> [String] {
        (try? samples().keys.sorted()) ?? []
    }

    @Test(arguments: sampleNames())
    func sampleProducesItsCode(file: String) throws {
        let expected = try Self.samples()[file]!
        let code = try #require(ReaderTestFixtures.code(named: expected["code"]!))
        #expect(code.ruleID == expected["rule"])
        let bytes = try ByteView(mappingFileAt: Self.directory + "/" + file).bytes
        let error = HDF5ReaderRobustnessTests.exercise(bytes)
        #expect(error?.code == code, "\(file): got \(error.map { "\($0)" } ?? "no error")")
    }

    @Test func everyCodeHasASampleOrAReason() throws {
        let covered = Set(try Self.samples().values.compactMap { $0["code"] })
        for code in HDF5Error.Code.all {
            let hasSample = covered.contains(code.name)
            let excused = Self.codesWithoutSample[code.name] != nil
            #expect(hasSample != excused, "\(code.name): sample \(hasSample), listed without sample \(excused)")
        }
        #expect(Set(Self.codesWithoutSample.keys).isSubset(of: Set(HDF5Error.Code.all.map(\.name))))
    }

    @Test func codesAreNumberedOnceAndInOrder() {
        let numbers = HDF5Error.Code.all.map(\.number)
        #expect(numbers == Array(1...numbers.count))
        #expect(Set(HDF5Error.Code.all.map(\.name)).count == numbers.count)
        #expect(HDF5Error.Code.all.allSatisfy { $0.domain == "H5" && !$0.summary.isEmpty })
    }
}
