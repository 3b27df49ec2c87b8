import Foundation
import KerasBytes
import KerasFormat
import KerasJSON
import KerasReference
import Testing

/// Re-saving a Keras file (every golden and layer-zoo archive) through the reference core keeps what
/// Keras wrote: `config.json` byte for byte, the same objects in the same order with the same `vars`
/// names (sub-layers such as `forward_layer` and `query_dense` included), the same variables at the same
/// paths with the same dtypes, shapes and bytes, `metadata.json` of the same shape, the assets; the result
/// passes `check`. This pins each layer's variable order and children to Keras's save order.
@Suite struct ResaveTests {
    static func archives(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".keras") }.sorted().map { folder.appendingPathComponent($0).path }
    }

    static let golden = archives(in: GoldenPredictTests.golden)
    static let zoo = archives(in: GoldenPredictTests.zoo)

    @Test func everyArchiveIsCovered() {
        #expect(Self.golden.count >= 15)
        #expect(Self.zoo.count >= 20)
    }

    @Test(arguments: golden + zoo)
    func resavedArchiveKeepsWhatKerasWrote(path: String) throws {
        let original = try KerasFile.open(path)
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
        // MultiHeadAttention's own Dropout and Softmax are named by Keras's session-wide counter when they
        // are created (`dropout_3`), which the file does not record elsewhere; kconform names them
        // `dropout` and `softmax`. Every other object keeps its name.
        let sessionNamed = { (path: String) in path.hasSuffix("/_dropout_layer") || path.hasSuffix("/_softmax") }
        #expect(after.objects.filter { !sessionNamed($0.path) }.map(\.name) == before.objects.filter { !sessionNamed($0.path) }.map(\.name))
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
