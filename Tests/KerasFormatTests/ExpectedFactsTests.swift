import Foundation
import KerasBytes
import KerasFormat
import KerasHDF5
import KerasZip
import Testing

/// Our reading of every golden file against the facts h5py, Python's zipfile and Keras's own
/// KerasFileEditor recorded when the corpus was made (`Corpus/golden/expected/`, scripts/corpus/make_golden.py).
@Suite struct ExpectedFactsTests {
    static let expectedFiles: [URL] = {
        let directory = CorpusLocation.golden.appendingPathComponent("expected")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { directory.appendingPathComponent($0) }
    }()

    static func load(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test func everyModelFileHasExpectedFacts() {
        #expect(Self.expectedFiles.count >= 25, "\(Self.expectedFiles.count)")
    }

    @Test(arguments: expectedFiles)
    func readingMatchesTheRecordedFacts(url: URL) throws {
        let facts = try Self.load(url)
        let relative = try #require(facts["file"] as? String)
        let path = CorpusLocation.golden.appendingPathComponent(relative).path
        let file = try KerasFile.open(path)
        let kinds: [String: KerasFileKind] = [
            "keras-archive": .kerasArchive, "folder": .modelFolder, "legacy-h5": .legacyModel,
            "weights-h5": .weightsH5, "sharded-index": .shardedWeights, "shard": .weightsH5,
        ]
        #expect(file.kind == kinds[facts["kind"] as? String ?? ""], "\(relative)")
        if let members = (facts["zip"] as? [String: Any])?["members"] as? [[String: Any]] {
            try compareZipMembers(members, file: file)
        }
        if let layers = facts["config_layers"] as? [[String: Any]] {
            #expect(Self.layerTree(file.config?.layers ?? []) == Self.expectedLayerTree(layers), "\(relative)")
        }
        if let metadata = facts["metadata"] as? [String: Any] {
            #expect(file.metadata?.kerasVersion == metadata["keras_version"] as? String)
            #expect(file.metadata?.dateSaved == metadata["date_saved"] as? String)
        }
        for (member, tree) in facts["hdf5"] as? [String: [String: Any]] ?? [:] {
            let hdf5 = try openHDF5(file: file, path: path, member: member)
            try compareTree(try #require(tree["objects"] as? [[String: Any]]), hdf5: hdf5, label: "\(relative) \(member)")
        }
    }

    private func compareZipMembers(_ expected: [[String: Any]], file: KerasFile) throws {
        let archive = try #require(file.archive)
        #expect(archive.entries.map(\.name) == expected.compactMap { $0["name"] as? String })
        for (entry, facts) in zip(archive.entries, expected) {
            #expect(entry.uncompressedSize == facts["file_size"] as? Int)
            #expect(entry.compressedSize == facts["compress_size"] as? Int)
            #expect(Int(entry.crc32) == facts["crc"] as? Int)
            #expect(Int(entry.method) == facts["compress_type"] as? Int)
            #expect(entry.localHeaderOffset == facts["header_offset"] as? Int)
            #expect(Int(entry.externalAttributes) == facts["external_attr"] as? Int)
            #expect(entry.dataOffset == facts["data_offset"] as? Int)
            let date = facts["date_time"] as? [Int] ?? []
            #expect([entry.modified.year, entry.modified.month, entry.modified.day, entry.modified.hour,
                     entry.modified.minute, entry.modified.second] == date)
        }
    }

    private func openHDF5(file: KerasFile, path: String, member: String) throws -> HDF5File {
        if member.isEmpty { return try HDF5File.open(try ByteView(mappingFileAt: path)) }
        if let archive = file.archive, let entry = archive.entry(named: member) {
            return try HDF5File.open(try archive.contents(of: entry))
        }
        return try HDF5File.open(try ByteView(mappingFileAt: path + "/" + member))
    }

    /// Every object h5py listed exists with the same kind, shape, dtype, size, data address, data hash and
    /// string attributes; and we list no object h5py did not.
    private func compareTree(_ objects: [[String: Any]], hdf5: HDF5File, label: String) throws {
        var ours: [String: HDF5Node] = [:]
        hdf5.walk { node in ours[node.path] = node }
        #expect(Set(ours.keys) == Set(objects.compactMap { $0["path"] as? String }), "\(label)")
        for object in objects {
            let path = try #require(object["path"] as? String)
            guard let node = ours[path] else { continue }
            switch (object["kind"] as? String, node) {
            case ("group", .group(let group)):
                try compareAttributes(object, group.attributes, label: "\(label) \(path)")
            case ("dataset", .dataset(let dataset)):
                #expect(dataset.shape == object["shape"] as? [Int], "\(label) \(path)")
                #expect(dataset.elementCount == object["size"] as? Int, "\(label) \(path)")
                if object["offset"] as? Int != nil {
                    #expect(dataset.declaredByteCount == object["storage_size"] as? Int, "\(label) \(path)")
                }
                #expect(Self.dtypeName(dataset) == object["dtype_name"] as? String, "\(label) \(path)")
                if case .contiguous(let address, _) = dataset.layout {
                    #expect(address.map(Int.init) == object["offset"] as? Int, "\(label) \(path)")
                }
                let data = try hdf5.data(of: dataset)
                #expect(SHA256.hex(data) == object["sha256"] as? String, "\(label) \(path)")
                try compareAttributes(object, dataset.attributes, label: "\(label) \(path)")
            default:
                Issue.record("\(label) \(path): kind \(object["kind"] ?? "?") but we read \(node)")
            }
        }
    }

    private func compareAttributes(_ object: [String: Any], _ attributes: [HDF5Attribute], label: String) throws {
        let expected = object["attrs"] as? [String: [String: Any]] ?? [:]
        #expect(Set(attributes.map(\.name)) == Set(expected.keys), "\(label)")
        for attribute in attributes {
            guard let facts = expected[attribute.name] else { continue }
            if facts["h5_class"] as? String == "float", let values = facts["value"] as? [Double] {
                #expect(attribute.value == .floats(values), "\(label) @\(attribute.name)")
            } else if let value = facts["value"] as? String {
                #expect(attribute.value == .strings([value]), "\(label) @\(attribute.name)")
            } else if let values = facts["value"] as? [String] {
                #expect(attribute.value == .strings(values), "\(label) @\(attribute.name)")
            } else if case .strings(let strings) = attribute.value {
                if let digest = facts["value_sha256"] as? String {
                    #expect(strings.count == 1 && SHA256.hex(Array(strings[0].utf8)) == digest, "\(label) @\(attribute.name)")
                } else if let digest = facts["value_sha256_of_newline_join"] as? String {
                    #expect(SHA256.hex(Array(strings.joined(separator: "\n").utf8)) == digest, "\(label) @\(attribute.name)")
                }
            }
        }
    }

    /// h5py's dtype name for a dataset: `float32`, `bool`, and `void16` for the bfloat16 opaque type.
    static func dtypeName(_ dataset: HDF5Dataset) -> String? {
        if case .opaque(let size, _) = dataset.datatype { return "void\(size * 8)" }
        return dataset.datatype.kerasDTypeName
    }

    struct LayerShape: Equatable, CustomStringConvertible {
        let className: String
        let name: String?
        let children: [LayerShape]?
        var description: String { "\(className)(\(name ?? "-"))" + (children.map { "\($0)" } ?? "") }
    }

    static func layerTree(_ nodes: [LayerNode]) -> [LayerShape] {
        nodes.map { node in
            let isModel = node.envelope.config["layers"] != nil
            return LayerShape(className: node.className, name: node.name, children: isModel ? layerTree(node.children) : nil)
        }
    }

    static func expectedLayerTree(_ layers: [[String: Any]]) -> [LayerShape] {
        layers.map { layer in
            LayerShape(className: layer["class_name"] as? String ?? "", name: layer["name"] as? String,
                       children: (layer["layers"] as? [[String: Any]]).map(expectedLayerTree))
        }
    }

    // MARK: KerasFileEditor

    static let editorSummaries: [URL] = {
        let directory = CorpusLocation.golden.appendingPathComponent("expected")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".editor_summary.txt") }.sorted().map { directory.appendingPathComponent($0) }
    }()

    /// Each tree row as (depth, label) without the tree drawing and without our appended object names.
    static func rows(_ lines: [String]) -> [(Int, String)] {
        lines.compactMap { line in
            guard let start = line.firstIndex(where: { !" │├└─>".contains($0) }) else { return nil }
            let depth = line.distance(from: line.startIndex, to: start) / 4
            var label = String(line[start...])
            if let open = label.range(of: " ('"), label.hasSuffix("')") { label = String(label[..<open.lowerBound]) }
            return (depth, label.replacingOccurrences(of: "dtype=bfloat16", with: "dtype=|V2"))
        }
    }

    /// Keras prints at most what we print: every row of its summary appears among ours, in order. Keras
    /// omits objects nested under an object whose own `vars` is empty (a known KerasFileEditor defect,
    /// docs/DIVERGENCES.md), and prints bfloat16 as `|V2`.
    @Test(arguments: editorSummaries)
    func inspectShowsEveryRowOfKerasFileEditorSummary(url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex(of: "Weights structure"))
        let keras = Self.rows(Array(lines[(start + 1)...]).map { String($0.dropFirst(2)) })
        let name = url.lastPathComponent.replacingOccurrences(of: ".editor_summary.txt", with: "").replacingOccurrences(of: "__", with: "/")
        let file = try KerasFile.open(CorpusLocation.golden.appendingPathComponent(name).path)
        let ours = Self.rows(Inspection(file).weightsStructure)
        var position = ours.startIndex
        for row in keras {
            guard let found = ours[position...].firstIndex(where: { $0 == row }) else {
                Issue.record("\(name): Keras row \(row) missing from ours:\n\(ours.map { "\($0)" }.joined(separator: "\n"))")
                return
            }
            position = found + 1
        }
        #expect(!keras.isEmpty)
    }
}
