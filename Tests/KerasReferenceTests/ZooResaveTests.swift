import Foundation
import KerasBytes
import KerasFormat
import KerasReference
import Testing

/// Every layer-zoo archive re-saved through the reference core has Keras's weights layout: the same
/// objects in the same order with the same `vars` names (sub-layers such as `forward_layer`,
/// `query_dense` and the variable-free `_softmax` included), the same variables at the same paths with
/// the same dtypes, shapes and bytes. This is what pins each layer's variable order and children to
/// Keras's save order.
@Suite struct ZooResaveTests {
    static let archives: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: GoldenPredictTests.zoo.path)) ?? []
        return names.filter { $0.hasSuffix(".keras") }.sorted()
    }()

    @Test func everyZooArchiveIsCovered() { #expect(Self.archives.count >= 20) }

    @Test(arguments: archives)
    func resavedZooArchiveHasKerasWeightsLayout(name: String) throws {
        let original = try KerasFile.open(GoldenPredictTests.zoo.appendingPathComponent(name).path)
        let model = try loadModel(original)
        let output = NSTemporaryDirectory() + "kconform-zoo-resave-\(UUID().uuidString).keras"
        defer { try? FileManager.default.removeItem(atPath: output) }
        try model.save(to: output)
        let resaved = try KerasFile.open(output)
        let before = try #require(original.weights)
        let after = try #require(resaved.weights)
        #expect(after.objects.map(\.path) == before.objects.map(\.path))
        // MultiHeadAttention's own Dropout and Softmax are named by Keras's session-wide counter when they
        // are created (`dropout_3`), which the file does not record elsewhere; kconform names them
        // `dropout` and `softmax`. Every other object keeps its name.
        let sessionNamed = { (path: String) in path.hasSuffix("/_dropout_layer") || path.hasSuffix("/_softmax") }
        #expect(after.objects.filter { !sessionNamed($0.path) }.map(\.name) == before.objects.filter { !sessionNamed($0.path) }.map(\.name))
        #expect(after.variables.count == before.variables.count)
        for (old, new) in zip(before.variables, after.variables) {
            #expect(new.hdf5Path == old.hdf5Path)
            #expect(new.dtype == old.dtype && new.shape == old.shape, "\(new.hdf5Path)")
            let oldBytes = try before.sources[old.sourceIndex].file.data(of: old.dataset)
            let newBytes = try after.sources[new.sourceIndex].file.data(of: new.dataset)
            #expect(newBytes == oldBytes, "\(new.hdf5Path)")
        }
    }
}
