import Foundation
import KerasBytes
import KerasFormat
import KerasJSON
import KerasReference
import Testing

/// Re-saving a Keras file through the reference core keeps what Keras wrote: `config.json` byte for byte,
/// the same objects, variable paths, order, dtypes and bytes in `model.weights.h5`, `metadata.json` of the
/// same shape, the assets; the result passes `check` and predicts bit for bit like the original.
@Suite struct ResaveTests {
    static let archives: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: GoldenPredictTests.golden.path)) ?? []
        return names.filter { $0.hasSuffix(".keras") }.sorted()
    }()

    @Test func everyGoldenArchiveIsCovered() { #expect(Self.archives.count >= 15) }

    @Test(arguments: archives)
    func resavedArchiveKeepsWhatKerasWrote(name: String) throws {
        let original = try KerasFile.open(GoldenPredictTests.golden.appendingPathComponent(name).path)
        let model = try loadModel(original)
        let output = NSTemporaryDirectory() + "kconform-resave-\(UUID().uuidString).keras"
        defer { try? FileManager.default.removeItem(atPath: output) }
        try model.save(to: output)
        let resaved = try KerasFile.open(output)
        #expect(Checker().check(resaved).findings.isEmpty, "\(Checker().check(resaved).findings)")

        let originalConfig = try #require(original.archive?.entry(named: "config.json"))
        let resavedConfig = try #require(resaved.archive?.entry(named: "config.json"))
        #expect(try resaved.archive!.contents(of: resavedConfig) == original.archive!.contents(of: originalConfig))
        #expect(resaved.configJSON == original.configJSON)
        #expect(resaved.metadata?.kerasVersion == "3.15.1")
        #expect(resaved.metadata?.dateSaved?.count == "2026-11-22@12:44:00".count)
        #expect(resaved.members.map(\.name) == original.members.map(\.name))

        let before = try #require(original.weights)
        let after = try #require(resaved.weights)
        #expect(after.objects.map(\.path) == before.objects.map(\.path))
        #expect(after.objects.map(\.name) == before.objects.map(\.name))
        for (old, new) in zip(before.variables, after.variables) {
            #expect(new.hdf5Path == old.hdf5Path)
            #expect(new.dtype == old.dtype && new.shape == old.shape, "\(new.hdf5Path)")
            let oldBytes = try before.sources[old.sourceIndex].file.data(of: old.dataset)
            let newBytes = try after.sources[new.sourceIndex].file.data(of: new.dataset)
            #expect(newBytes == oldBytes, "\(new.hdf5Path)")
        }
        #expect(after.variables.count == before.variables.count)
    }
}
