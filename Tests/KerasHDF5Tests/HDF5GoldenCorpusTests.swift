import Foundation
import KerasBytes
import Testing
@testable import KerasHDF5

/// Every HDF5 file of the golden corpus (real Keras output: `.weights.h5`, legacy `.h5`, and the
/// `model.weights.h5` inside `.keras` archives and folders) reads exactly as h5py described it in
/// Corpus/golden/expected.
@Suite struct HDF5GoldenCorpusTests {
    static let golden = ReaderTestFixtures.repositoryRoot + "/Corpus/golden"

    /// `(expected file, HDF5 key)` for every HDF5 image an expected file describes.
    static func images() -> [String] {
        let directory = golden + "/expected"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var result: [String] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let hdf5 = json["hdf5"] as? [String: Any]
            else { continue }
            for key in hdf5.keys.sorted() { result.append(name + "|" + key) }
        }
        return result
    }

    static func bytes(file: String, key: String) throws -> ByteView {
        let path = golden + "/" + file
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if key.isEmpty { return try ByteView(mappingFileAt: path) }
        if isDirectory.boolValue { return try ByteView(mappingFileAt: path + "/" + key) }
        return try #require(ReaderTestZip.member(key, in: try ByteView(mappingFileAt: path)))
    }

    @Test(.enabled(if: !images().isEmpty), arguments: images())
    func goldenFileReadsAsH5pyDescribedIt(image: String) throws {
        let parts = image.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.golden + "/expected/" + parts[0]))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let description = (json["hdf5"] as! [String: Any])[parts[1]] as! [String: Any]
        let file = try HDF5File.open(try Self.bytes(file: json["file"] as! String, key: parts[1]))
        var mine: [String: HDF5Node] = [:]
        file.walk { mine[$0.path] = $0 }
        let objects = description["objects"] as! [[String: Any]]
        #expect(!objects.isEmpty)
        for object in objects {
            let path = object["path"] as! String
            guard let node = mine[path] else { Issue.record("\(image): \(path) missing"); continue }
            let header = object["object_header"] as? [String: Any]
            let wantedAttributes = Set((object["attrs"] as? [String: Any] ?? [:]).keys)
            switch node {
            case let .group(group):
                #expect(object["kind"] as? String == "group", "\(path)")
                #expect(Set(group.attributes.map(\.name)) == wantedAttributes, "\(path)")
                #expect((header?["address"] as? NSNumber)?.uint64Value == group.address, "\(path)")
                compareStrings(group.attributes, object, path)
            case let .dataset(dataset):
                #expect(object["kind"] as? String == "dataset", "\(path)")
                #expect(object["shape"] as? [Int] == dataset.shape, "\(path)")
                #expect(Set(dataset.attributes.map(\.name)) == wantedAttributes, "\(path)")
                #expect((header?["address"] as? NSNumber)?.uint64Value == dataset.address, "\(path)")
                #expect(ReaderTestFixtures.describe(dataset.datatype) == object["dtype_str"] as? String, "\(path)")
                compareStrings(dataset.attributes, object, path)
                if let digest = object["sha256"] as? String {
                    let bytes = try file.data(of: dataset)
                    #expect(bytes.withUnsafeBytes { SHA256.hex($0) } == digest, "\(path)")
                }
            default:
                Issue.record("\(image): \(path) is \(node)")
            }
        }
    }

    private func compareStrings(_ attributes: [HDF5Attribute], _ object: [String: Any], _ path: String) {
        let wanted = object["attrs"] as? [String: [String: Any]] ?? [:]
        for attribute in attributes {
            guard let value = wanted[attribute.name]?["value"] as? String else { continue }
            #expect(attribute.value.stringValue == value, "\(path) @\(attribute.name)")
        }
    }
}
