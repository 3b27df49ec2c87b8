import Foundation
import KerasBytes
import KerasFormat
import KerasHDF5
import KerasJSON
import KerasReference
import Testing

/// Re-saving Keras's own legacy `.h5` files reproduces what Keras wrote: `model_config`,
/// `training_config`, `layer_names` (chunked when long), `weight_names` and the dataset bytes.
@Suite struct LegacySaveTests {
    static func attribute(_ group: HDF5Group, _ name: String) -> HDF5AttributeValue? {
        group.attributes.first { $0.name == name }?.value
    }

    static func group(_ file: HDF5File, _ path: String) throws -> HDF5Group {
        guard case .group(let group)? = file.object(at: path) else { throw ReferenceError(ReferenceError.Code.notAModel, path) }
        return group
    }

    @Test(arguments: ["legacy_mlp.h5", "legacy_long_names.h5"])
    func resavedLegacyFileMatchesKeras(name: String) throws {
        let path = GoldenPredictTests.golden.appendingPathComponent(name).path
        let model = try loadModel(from: path)
        let output = NSTemporaryDirectory() + "kconform-legacy-\(UUID().uuidString).h5"
        defer { try? FileManager.default.removeItem(atPath: output) }
        try model.saveLegacyH5(to: output)
        #expect(Checker().check(try KerasFile.open(output)).findings.isEmpty)

        let keras = try HDF5File.open(try ByteView(mappingFileAt: path))
        let ours = try HDF5File.open(try ByteView(mappingFileAt: output))
        for key in ["model_config", "training_config"] {
            let theirs = try Self.attribute(keras.root, key)?.stringValue.map { try JSONReader.parse(ByteView(copying: Array($0.utf8))) }
            let mine = try Self.attribute(ours.root, key)?.stringValue.map { try JSONReader.parse(ByteView(copying: Array($0.utf8))) }
            #expect(mine == theirs, "\(key)")
        }
        let kerasWeights = try Self.group(keras, "/model_weights")
        let ourWeights = try Self.group(ours, "/model_weights")
        let nameAttributes = kerasWeights.attributes.map(\.name).filter { $0.hasPrefix("layer_names") }.sorted()
        #expect(ourWeights.attributes.map(\.name).filter { $0.hasPrefix("layer_names") }.sorted() == nameAttributes)
        for attribute in nameAttributes { #expect(Self.attribute(ourWeights, attribute) == Self.attribute(kerasWeights, attribute)) }
        for link in kerasWeights.links {
            guard case .group(let theirLayer) = link.target else { continue }
            let ourLayer = try Self.group(ours, theirLayer.path)
            #expect(Self.attribute(ourLayer, "weight_names") == Self.attribute(theirLayer, "weight_names"), "\(theirLayer.path)")
            if case .strings(let weights) = Self.attribute(theirLayer, "weight_names") ?? .strings([]) {
                for weight in weights {
                    guard case .dataset(let theirs)? = keras.object(at: theirLayer.path + "/" + weight),
                          case .dataset(let mine)? = ours.object(at: theirLayer.path + "/" + weight) else {
                        Issue.record("missing \(weight)")
                        continue
                    }
                    #expect(try ours.data(of: mine) == keras.data(of: theirs))
                }
            }
        }
    }
}
