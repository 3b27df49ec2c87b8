import Foundation
import KerasBytes
import Testing
@testable import KerasHDF5

/// Each h5py-written fixture reads exactly as h5py read it when the fixture was made.
@Suite struct HDF5ReaderFixtureTests {
    @Test(arguments: ReaderTestFixtures.names)
    func readerAgreesWithH5py(name: String) throws {
        let file = try HDF5File.open(try ReaderTestFixtures.bytes(name))
        let expected = try ReaderTestFixtures.expected(name)
        let expectedNodes = expected["nodes"] as! [[String: Any]]
        var nodes: [HDF5Node] = []
        file.walk { nodes.append($0) }
        #expect(nodes.map(\.path) == expectedNodes.map { $0["path"] as! String })
        for (node, want) in zip(nodes, expectedNodes) {
            let path = want["path"] as! String
            switch node {
            case let .group(group):
                #expect(want["kind"] as? String == "group", "\(path)")
                compare(group.attributes, want, path)
            case let .dataset(dataset):
                #expect(want["kind"] as? String == "dataset", "\(path)")
                #expect(ReaderTestFixtures.describe(dataset.datatype) == want["dtype"] as? String, "\(path)")
                let shape = want["shape"] as? [Int]
                #expect((dataset.dataspaceKind == .null ? nil : dataset.shape) == shape, "\(path)")
                #expect(dataset.address == (want["address"] as! NSNumber).uint64Value, "\(path)")
                compare(dataset.attributes, want, path)
                if let storage = want["storage_size"] as? Int, want["reader_error"] == nil || dataset.externalFiles.count > 0 {
                    #expect(try file.storageSize(of: dataset) == storage, "\(path) storage size")
                }
                if let codeName = want["reader_error"] as? String {
                    #expect(throws: HDF5Error(ReaderTestFixtures.code(named: codeName)!, ""), "\(path)") {
                        try file.data(of: dataset)
                    }
                } else if let digest = want["sha256"] as? String {
                    let data = try file.data(of: dataset)
                    #expect(data.count == dataset.declaredByteCount, "\(path)")
                    #expect(data.withUnsafeBytes { SHA256.hex($0) } == digest, "\(path)")
                }
            case let .namedDatatype(datatype):
                #expect(want["kind"] as? String == "datatype", "\(path)")
                #expect(ReaderTestFixtures.describe(datatype.datatype) == want["dtype"] as? String, "\(path)")
                compare(datatype.attributes, want, path)
            case let .softLink(_, target):
                #expect(want["kind"] as? String == "soft", "\(path)")
                #expect(want["target"] as? String == target, "\(path)")
            case let .externalLink(_, fileName, target):
                #expect(want["kind"] as? String == "external", "\(path)")
                #expect(want["file"] as? String == fileName, "\(path)")
                #expect(want["target"] as? String == target, "\(path)")
            }
        }
    }

    private func compare(_ attributes: [HDF5Attribute], _ want: [String: Any], _ path: String) {
        let expected = want["attributes"] as? [[String: Any]] ?? []
        #expect(attributes.map(\.name) == expected.map { $0["name"] as! String }, "\(path)")
        for (attribute, wanted) in zip(attributes, expected) {
            let mine = ReaderTestFixtures.describe(attribute)
            for key in ["dtype", "shape", "kind", "value"] {
                #expect(ReaderTestFixtures.same(mine[key] ?? NSNull(), wanted[key] ?? NSNull()),
                    "\(path) @\(attribute.name) \(key): \(mine[key] ?? "nil") vs \(wanted[key] ?? "nil")")
            }
        }
    }
}
