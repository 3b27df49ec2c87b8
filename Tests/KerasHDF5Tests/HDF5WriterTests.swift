import KerasBytes
import KerasHDF5
import KerasOracles
import Testing

/// The logical content of a Keras-like HDF5 file, built with ``HDF5Writer`` and, in step, by
/// `Fixtures/h5py_writer_reference.py` with h5py. Element `k` (C order) of every array follows
/// `values(_:count:)`, which mirrors the script's `values`.
enum HDF5WriterProfile {
    static let optimizerVariables = 600
    static let modelConfig = #"{"class_name": "Sequential", "config": {"name": "seq"}}"#
    static let title = "na\u{EF}ve \u{2603}"

    /// Writes the profile; the order of calls follows the script.
    static func write(into writer: HDF5Writer) throws {
        try writer.setStringAttribute("/", name: "keras_version", value: "3.15.1", charset: .ascii)
        try writer.setStringAttribute("/", name: "backend", value: "jax", charset: .ascii)
        try writer.setStringAttribute("/", name: "model_config", value: modelConfig, charset: .ascii)
        try writer.setStringArrayAttribute(
            "/", name: "layer_names", values: ["dense", "dropout", "dense_1"], charset: .ascii)
        try writer.setFixedStringArrayAttribute("/", name: "layer_names0", values: ["dense", "dropout"])
        try writer.setFixedStringArrayAttribute("/", name: "layer_names1", values: ["dense_1"])
        try writer.setStringAttribute("/", name: "title", value: title)
        try writer.createGroup("model_weights")
        try writer.setStringArrayAttribute(
            "model_weights", name: "layer_names", values: ["dense", "dropout"], charset: .ascii)
        try writer.createGroup("model_weights/dense")
        try writer.setStringArrayAttribute(
            "model_weights/dense", name: "weight_names", values: ["dense/kernel", "dense/bias"], charset: .ascii)
        try dataset(writer, "model_weights/dense/dense/kernel", .float32, [3, 4])
        try dataset(writer, "model_weights/dense/dense/bias", .float32, [4])
        try writer.createGroup("model_weights/dropout")
        try writer.setFloat64ArrayAttribute("model_weights/dropout", name: "weight_names", values: [])

        try writer.createGroup("vars")
        try writer.setStringAttribute("vars", name: "name", value: "seq")
        try writer.createGroup("layers/dense/vars")
        try writer.setStringAttribute("layers/dense/vars", name: "name", value: "dense")
        try dataset(writer, "layers/dense/vars/0", .float32, [3, 4])
        try dataset(writer, "layers/dense/vars/1", .float32, [4])
        try writer.createGroup("layers/dropout/vars")
        try writer.setStringAttribute("layers/dropout/vars", name: "name", value: "dropout")
        try writer.createGroup("layers/dtypes/vars")
        try writer.setStringAttribute("layers/dtypes/vars", name: "name", value: "dtypes")
        for dtype in HDF5Writer.DType.allCases {
            try dataset(writer, "layers/dtypes/vars/\(dtype.rawValue)", dtype, [2, 3])
            try dataset(writer, "layers/dtypes/vars/\(dtype.rawValue)_scalar", dtype, [])
            try dataset(writer, "layers/dtypes/vars/\(dtype.rawValue)_empty", dtype, [0])
        }
        try dataset(writer, "layers/dtypes/vars/float32_empty_2d", .float32, [3, 0])
        try writer.createGroup("optimizer/vars")
        try writer.setStringAttribute("optimizer/vars", name: "name", value: "adam")
        try dataset(writer, "optimizer/vars/0", .int64, [])
        for index in 1..<optimizerVariables {
            try dataset(writer, "optimizer/vars/\(index)", .float32, [2])
        }
    }

    static func dataset(_ writer: HDF5Writer, _ path: String, _ dtype: HDF5Writer.DType, _ shape: [Int]) throws {
        let bytes = values(dtype, count: shape.reduce(1, *))
        try writer.createDataset(path, dtype: dtype, shape: shape, data: ByteView(copying: bytes))
    }

    /// Little-endian bytes of elements `0..<count`, as the script's `values` computes them.
    static func values(_ dtype: HDF5Writer.DType, count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        for k in 0..<count {
            let real = Double(k) * 0.5 - 1
            let wide = UInt64(k) * 37 + 200
            switch dtype {
            case .float16: append(Float16(real).bitPattern)
            case .float32: append(Float(real).bitPattern)
            case .float64: append(real.bitPattern)
            case .bfloat16: append(UInt16(Float(real).bitPattern >> 16))
            case .int8: append(Int8(truncatingIfNeeded: k - 2))
            case .int16: append(Int16(truncatingIfNeeded: k - 2))
            case .int32: append(Int32(truncatingIfNeeded: k - 2))
            case .int64: append(Int64(k - 2))
            case .uint8: append(UInt8(truncatingIfNeeded: wide))
            case .uint16: append(UInt16(truncatingIfNeeded: wide))
            case .uint32: append(UInt32(truncatingIfNeeded: wide))
            case .uint64: append(wide)
            case .bool: append(UInt8(k % 2))
            case .complex64:
                append(Float(Double(k) * 0.5).bitPattern)
                append(Float(0 - Double(k)).bitPattern)
            case .complex128:
                append((Double(k) * 0.5).bitPattern)
                append((0 - Double(k)).bitPattern)
            }
        }
        return bytes
    }

    /// The oracle's name for a dtype's file datatype.
    static func description(of dtype: HDF5Writer.DType) -> String {
        dtype == .bfloat16 ? "opaque2" : dtype.rawValue
    }

    /// What the oracle must report for the profile, written down independently of the writer.
    static func expectedNodes() -> [String: HDF5Oracle.Node] {
        typealias Attribute = HDF5Oracle.Attribute
        func text(_ value: String, _ type: String = "vlen-utf8-string") -> Attribute {
            Attribute(dtypeDescription: type, shape: [], value: .strings([value]))
        }
        func texts(_ values: [String], _ type: String) -> Attribute {
            Attribute(dtypeDescription: type, shape: [values.count], value: .strings(values))
        }
        var nodes: [String: HDF5Oracle.Node] = [:]
        func group(_ path: String, _ attributes: [String: Attribute] = [:]) {
            nodes[path] = HDF5Oracle.Node(path: path, kind: .group, attributes: attributes)
        }
        func dataset(_ path: String, _ dtype: HDF5Writer.DType, _ shape: [Int]) {
            nodes[path] = HDF5Oracle.Node(
                path: path, kind: .dataset, shape: shape, dtypeDescription: description(of: dtype),
                attributes: dtype == .bfloat16 ? ["dtype": text("bfloat16")] : [:],
                data: values(dtype, count: shape.reduce(1, *)))
        }
        group("/", [
            "keras_version": text("3.15.1", "vlen-ascii-string"),
            "backend": text("jax", "vlen-ascii-string"),
            "model_config": text(modelConfig, "vlen-ascii-string"),
            "layer_names": texts(["dense", "dropout", "dense_1"], "vlen-ascii-string"),
            "layer_names0": texts(["dense", "dropout"], "fixed-ascii-string-7-nullpad"),
            "layer_names1": texts(["dense_1"], "fixed-ascii-string-7-nullpad"),
            "title": text(title),
        ])
        group("/model_weights", ["layer_names": texts(["dense", "dropout"], "vlen-ascii-string")])
        group("/model_weights/dense", ["weight_names": texts(["dense/kernel", "dense/bias"], "vlen-ascii-string")])
        group("/model_weights/dense/dense")
        dataset("/model_weights/dense/dense/kernel", .float32, [3, 4])
        dataset("/model_weights/dense/dense/bias", .float32, [4])
        let noWeights = Attribute(dtypeDescription: "float64", shape: [0], value: .floats([]))
        group("/model_weights/dropout", ["weight_names": noWeights])
        group("/vars", ["name": text("seq")])
        group("/layers")
        group("/layers/dense")
        group("/layers/dense/vars", ["name": text("dense")])
        dataset("/layers/dense/vars/0", .float32, [3, 4])
        dataset("/layers/dense/vars/1", .float32, [4])
        group("/layers/dropout")
        group("/layers/dropout/vars", ["name": text("dropout")])
        group("/layers/dtypes")
        group("/layers/dtypes/vars", ["name": text("dtypes")])
        for dtype in HDF5Writer.DType.allCases {
            dataset("/layers/dtypes/vars/\(dtype.rawValue)", dtype, [2, 3])
            dataset("/layers/dtypes/vars/\(dtype.rawValue)_scalar", dtype, [])
            dataset("/layers/dtypes/vars/\(dtype.rawValue)_empty", dtype, [0])
        }
        dataset("/layers/dtypes/vars/float32_empty_2d", .float32, [3, 0])
        group("/optimizer")
        group("/optimizer/vars", ["name": text("adam")])
        dataset("/optimizer/vars/0", .int64, [])
        for index in 1..<optimizerVariables {
            dataset("/optimizer/vars/\(index)", .float32, [2])
        }
        return nodes
    }

    /// The profile written by ``HDF5Writer``.
    static func writtenImage() throws -> [UInt8] {
        let writer = try HDF5Writer()
        try write(into: writer)
        return try writer.finish()
    }

    /// The committed h5py file.
    static func h5pyImage() throws -> [UInt8] {
        try ByteView(mappingFileAt: fixturePath("h5py_writer_reference.h5")).bytes
    }

    static func fixturePath(_ name: String) -> String {
        let directory = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast()
        return (directory + ["Fixtures", Substring(name)]).joined(separator: "/")
    }

    /// Reads the level of the v1 B-tree of the symbol-table group whose object header is at `address`
    /// (version 1 object header, HDF5 spec IV.A.1.a; Symbol Table message 0x11, IV.A.2.r; TREE node III.A.1).
    /// Our own files only; returns nil when the layout is not the expected one.
    static func symbolTableBTreeLevel(in image: [UInt8], objectHeaderAt address: Int) -> Int? {
        func load(_ offset: Int, _ width: Int) -> Int? {
            guard offset >= 0, width <= 8, offset + width <= image.count else { return nil }
            var value = 0
            for index in 0..<width { value |= Int(image[offset + index]) << (8 * index) }
            return value
        }
        guard load(address, 1) == 1, let messageCount = load(address + 2, 2), let headerSize = load(address + 8, 4)
        else { return nil }
        var blocks = [(start: address + 16, end: address + 16 + headerSize)]
        var seen = 0
        while let block = blocks.first, seen < messageCount {
            blocks.removeFirst()
            var offset = block.start
            while offset + 8 <= block.end, seen < messageCount {
                guard let type = load(offset, 2), let size = load(offset + 2, 2) else { return nil }
                seen += 1
                let body = offset + 8
                if type == 0x11, let tree = load(body, 8) {
                    guard image.count > tree + 6, image[tree..<tree + 4].elementsEqual("TREE".utf8) else {
                        return nil
                    }
                    return Int(image[tree + 5])
                }
                if type == 0x10, let start = load(body, 8), let length = load(body + 8, 8) {
                    blocks.append((start, start + length))
                }
                offset = body + size
            }
        }
        return nil
    }
}

/// A node without its storage details, which tests compare separately (addresses differ between files).
struct HDF5WriterComparableNode: Equatable, CustomStringConvertible {
    var node: HDF5Oracle.Node

    init(_ node: HDF5Oracle.Node) {
        var node = node
        node.storage = nil
        self.node = node
    }

    var description: String {
        "\(node.path) \(node.kind) \(node.shape.map { "\($0)" } ?? "-") \(node.dtypeDescription ?? "-") "
            + "attributes \(node.attributes.keys.sorted()) data \(node.data?.count ?? -1) bytes"
    }
}

@Suite struct HDF5WriterTests {
    @Test func kerasProfileReadsBackAsWritten() throws {
        let nodes = try HDF5Oracle.read(try HDF5WriterProfile.writtenImage())
        let expected = HDF5WriterProfile.expectedNodes()
        #expect(nodes.count == expected.count)
        #expect(Set(nodes.map(\.path)) == Set(expected.keys))
        for node in nodes {
            guard let want = expected[node.path] else { continue }
            #expect(HDF5WriterComparableNode(node) == HDF5WriterComparableNode(want), "\(node.path)")
        }
    }

    @Test func fileUsesH5pyDefaultProfile() throws {
        let image = try HDF5WriterProfile.writtenImage()
        let info = try HDF5Oracle.fileInfo(image)
        #expect(
            info
                == HDF5Oracle.FileInfo(
                    superblockVersion: 0, sizeOfOffsets: 8, sizeOfLengths: 8, groupLeafK: 4, groupInternalK: 16,
                    userBlockSize: 0))
        let endOfFile = (0..<8).reduce(0) { $0 | Int(image[40 + $1]) << (8 * $1) }
        #expect(image.count == endOfFile, "superblock end-of-file address = image length")
        for node in try HDF5Oracle.read(image) {
            let storage = try #require(node.storage)
            #expect(storage.objectHeaderVersion == 1, "\(node.path)")
            #expect(!storage.recordsTimes, "\(node.path)")
            switch node.kind {
            case .group:
                #expect(storage.groupStorage == "symbol-table", "\(node.path)")
            case .dataset:
                let elements = try #require(node.shape).reduce(1, *)
                #expect(storage.layout == "contiguous", "\(node.path)")
                #expect(storage.allocationTime == "late", "\(node.path)")
                #expect(storage.fillTime == "ifset", "\(node.path)")
                #expect(storage.fillValue == "default", "\(node.path)")
                #expect(storage.filterCount == 0, "\(node.path)")
                #expect(storage.allocated == (elements > 0), "\(node.path)")
                #expect(!storage.messageTypes.contains(0x12), "no modification time message at \(node.path)")
            default:
                Issue.record("unexpected \(node.kind) at \(node.path)")
            }
        }
    }

    @Test func largeGroupGetsMultiLevelBTreeLikeH5py() throws {
        for image in [try HDF5WriterProfile.writtenImage(), try HDF5WriterProfile.h5pyImage()] {
            let nodes = try HDF5Oracle.read(image)
            let group = try #require(nodes.first { $0.path == "/optimizer/vars" })
            let address = try #require(group.storage?.objectAddress)
            #expect(HDF5WriterProfile.symbolTableBTreeLevel(in: image, objectHeaderAt: Int(address)) == 1)
            let small = try #require(nodes.first { $0.path == "/layers/dense/vars" })
            let smallAddress = try #require(small.storage?.objectAddress)
            #expect(HDF5WriterProfile.symbolTableBTreeLevel(in: image, objectHeaderAt: Int(smallAddress)) == 0)
        }
    }

    @Test func writerOutputIsByteIdenticalToH5py() throws {
        let written = try HDF5WriterProfile.writtenImage()
        let reference = try HDF5WriterProfile.h5pyImage()
        #expect(written.count == reference.count)
        let firstDifference = zip(written, reference).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "h5py 3.16 / HDF5 2.0 and libhdf5 1.10.8 write the same bytes for this profile")
    }

    @Test func writerMatchesH5pyReferenceNodeByNode() throws {
        let written = try HDF5Oracle.read(try HDF5WriterProfile.writtenImage())
        let reference = try HDF5Oracle.read(try HDF5WriterProfile.h5pyImage())
        #expect(written.map(\.path) == reference.map(\.path))
        #expect(written.count == HDF5WriterProfile.expectedNodes().count)
        for (mine, theirs) in zip(written, reference) {
            #expect(HDF5WriterComparableNode(mine) == HDF5WriterComparableNode(theirs), "\(mine.path)")
            var myStorage = try #require(mine.storage)
            var theirStorage = try #require(theirs.storage)
            myStorage.objectAddress = 0
            theirStorage.objectAddress = 0
            #expect(myStorage == theirStorage, "\(mine.path)")
        }
    }

    @Test func writerMatchesH5pyFileLevelProperties() throws {
        let written = try HDF5Oracle.fileInfo(HDF5WriterProfile.writtenImage())
        #expect(try written == HDF5Oracle.fileInfo(HDF5WriterProfile.h5pyImage()))
    }

    @Test func fileObjectDestinationPacksTheSameContent() throws {
        let onPath = try HDF5WriterProfile.writtenImage()
        let writer = try HDF5Writer(destination: .fileObject)
        try HDF5WriterProfile.write(into: writer)
        let packed = try writer.finish()
        #expect(packed.count < onPath.count, "no 2 KiB aggregation blocks")
        let packedNodes = try HDF5Oracle.read(packed)
        let onPathNodes = try HDF5Oracle.read(onPath)
        #expect(packedNodes.map(HDF5WriterComparableNode.init) == onPathNodes.map(HDF5WriterComparableNode.init))
        #expect(try HDF5Oracle.fileInfo(packed).superblockVersion == 0)
    }

    @Test(arguments: [HDF5Writer.Destination.path, .fileObject])
    func assignmentLinksTheSameContentAfterWritingIt(destination: HDF5Writer.Destination) throws {
        func image(_ creation: HDF5Writer.DatasetCreation) throws -> [UInt8] {
            let writer = try HDF5Writer(destination: destination)
            try writer.createGroup("vars")
            for dtype in HDF5Writer.DType.allCases {
                for (suffix, shape) in [("", [2, 3]), ("_scalar", []), ("_empty", [0])] {
                    let data = ByteView(copying: HDF5WriterProfile.values(dtype, count: shape.reduce(1, *)))
                    try writer.createDataset(
                        "vars/\(dtype.rawValue)\(suffix)", dtype: dtype, shape: shape, data: data, creation: creation)
                }
            }
            return try writer.finish()
        }
        let created = try image(.createDataset)
        let assigned = try image(.assignment)
        #expect(created != assigned, "the dataset headers and data land in a different order")
        let nodes = try HDF5Oracle.read(assigned)
        #expect(nodes.count == 2 + 3 * HDF5Writer.DType.allCases.count)
        let createdNodes = try HDF5Oracle.read(created)
        #expect(nodes.map(HDF5WriterComparableNode.init) == createdNodes.map(HDF5WriterComparableNode.init))
        for node in nodes where node.kind == .dataset {
            #expect(node.storage?.allocated == (node.shape?.reduce(1, *) != 0), "\(node.path)")
        }
    }

    @Test func sameContentGivesSameBytes() throws {
        #expect(try HDF5WriterProfile.writtenImage() == HDF5WriterProfile.writtenImage())
    }

    @Test func concurrentWritersProduceIdenticalFiles() async throws {
        let images = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<8 {
                group.addTask { try writerSmallImage(name: "same") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(images.count == 8)
        #expect(Set(images).count == 1)
        let nodes = try HDF5Oracle.read(try #require(images.first))
        #expect(nodes.map(\.path) == ["/", "/vars", "/vars/0"])
    }

    @Test func attributeIsReplacedNotDuplicated() throws {
        let writer = try HDF5Writer()
        try writer.createGroup("vars")
        try writer.setStringAttribute("vars", name: "name", value: "first")
        try writer.setStringArrayAttribute("vars", name: "name", values: ["second", "third"], charset: .ascii)
        let nodes = try HDF5Oracle.read(try writer.finish())
        let attribute = try #require(nodes.first { $0.path == "/vars" }?.attributes["name"])
        #expect(attribute == HDF5Oracle.Attribute(
            dtypeDescription: "vlen-ascii-string", shape: [2], value: .strings(["second", "third"])))
    }

    @Test func createGroupKeepsExistingGroupsAndTheirContent() throws {
        let writer = try HDF5Writer()
        try writer.createDataset("a/b/0", dtype: .uint8, shape: [1], data: ByteView(copying: [7]))
        try writer.setStringAttribute("/a", name: "name", value: "a")
        try writer.createGroup("/a/b/")
        try writer.createGroup("a/c")
        let nodes = try HDF5Oracle.read(try writer.finish())
        #expect(nodes.map(\.path) == ["/", "/a", "/a/b", "/a/b/0", "/a/c"])
        #expect(nodes[1].attributes["name"]?.value == .strings(["a"]))
        #expect(nodes[3].data == [7])
    }

    @Test func nonASCIINamesRoundTrip() throws {
        let writer = try HDF5Writer()
        try writer.createDataset("sch\u{F6}n/\u{2603}", dtype: .int8, shape: [], data: ByteView(copying: [0xFF]))
        try writer.setStringAttribute("sch\u{F6}n", name: "\u{E9}t\u{E9}", value: "\u{1F600}")
        let nodes = try HDF5Oracle.read(try writer.finish())
        #expect(nodes.map(\.path) == ["/", "/sch\u{F6}n", "/sch\u{F6}n/\u{2603}"])
        #expect(nodes[1].attributes["\u{E9}t\u{E9}"]?.value == .strings(["\u{1F600}"]))
        #expect(nodes[2].data == [0xFF])
    }

    @Test func emptyStringArrayAndEmptyStringsAreKept() throws {
        let writer = try HDF5Writer()
        try writer.setStringArrayAttribute("/", name: "none", values: [])
        try writer.setStringAttribute("/", name: "blank", value: "")
        try writer.setFixedStringArrayAttribute("/", name: "fixed", values: ["", "ab"])
        let root = try #require(try HDF5Oracle.read(try writer.finish()).first)
        #expect(root.attributes["none"] == HDF5Oracle.Attribute(
            dtypeDescription: "vlen-utf8-string", shape: [0], value: .strings([])))
        #expect(root.attributes["blank"]?.value == .strings([""]))
        #expect(root.attributes["fixed"] == HDF5Oracle.Attribute(
            dtypeDescription: "fixed-ascii-string-2-nullpad", shape: [2], value: .strings(["", "ab"])))
    }

    @Test(arguments: [([2, 3], 5), ([2, 3], 7), ([], 0), ([0], 1)])
    func dataSizeMismatchIsRejected(shape: [Int], byteCount: Int) throws {
        let writer = try HDF5Writer()
        let error = #expect(throws: HDF5WriteError.self) {
            let data = ByteView(copying: [UInt8](repeating: 0, count: byteCount))
            try writer.createDataset("x", dtype: .uint8, shape: shape, data: data)
        }
        #expect(error?.kind == .invalidArgument)
        #expect(try HDF5Oracle.read(try writer.finish()).map(\.path) == ["/"], "nothing was written")
    }

    @Test func negativeOrOverflowingShapeIsRejected() throws {
        let writer = try HDF5Writer()
        for shape in [[-1], [Int.max, 2], [1 << 40, 1 << 40]] {
            let error = #expect(throws: HDF5WriteError.self) {
                try writer.createDataset("x", dtype: .float64, shape: shape, data: .empty)
            }
            #expect(error?.kind == .invalidArgument)
        }
    }

    @Test func boolBytesOtherThanZeroOrOneAreRejected() throws {
        let writer = try HDF5Writer()
        let error = #expect(throws: HDF5WriteError.self) {
            try writer.createDataset("flags", dtype: .bool, shape: [3], data: ByteView(copying: [0, 1, 2]))
        }
        #expect(error?.kind == .invalidArgument)
    }

    @Test func existingNameAndPathThroughDatasetAreRejected() throws {
        let writer = try HDF5Writer()
        try writer.createDataset("x", dtype: .uint8, shape: [1], data: ByteView(copying: [1]))
        let duplicate = #expect(throws: HDF5WriteError.self) {
            try writer.createDataset("x", dtype: .uint8, shape: [1], data: ByteView(copying: [1]))
        }
        #expect(duplicate?.kind == .invalidArgument)
        let through = #expect(throws: HDF5WriteError.self) { try writer.createGroup("x/y") }
        #expect(through?.kind == .invalidArgument)
        let root = #expect(throws: HDF5WriteError.self) {
            try writer.createDataset("/", dtype: .uint8, shape: [], data: ByteView(copying: [1]))
        }
        #expect(root?.kind == .invalidArgument)
        let badComponent = #expect(throws: HDF5WriteError.self) { try writer.createGroup("a//b") }
        #expect(badComponent?.kind == .invalidArgument)
    }

    @Test func libraryFailureCarriesTheCallAndErrorStack() throws {
        let writer = try HDF5Writer()
        let error = #expect(throws: HDF5WriteError.self) {
            try writer.setStringAttribute("missing/group", name: "name", value: "x")
        }
        #expect(error?.kind == .library)
        #expect(error?.call == "H5Oopen")
        #expect(error?.path == "missing/group")
        #expect(error?.detail.contains("#0") == true)
        #expect(error?.detail.contains("H5Oopen") == true)
        #expect(try writer.finish().count > 0, "the writer stays usable after a library failure")
    }

    @Test func oversizedFixedStringAttributeFailsInLibraryNotProcess() throws {
        let writer = try HDF5Writer()
        let values = [String](repeating: String(repeating: "n", count: 1000), count: 70)
        let error = #expect(throws: HDF5WriteError.self) {
            try writer.setFixedStringArrayAttribute("/", name: "layer_names", values: values)
        }
        #expect(error?.kind == .library, "a 70,000-byte attribute does not fit a version 1 object header")
    }

    @Test func stringsWithNULAreRejected() throws {
        let writer = try HDF5Writer()
        let error = #expect(throws: HDF5WriteError.self) {
            try writer.setStringAttribute("/", name: "name", value: "a\u{0}b")
        }
        #expect(error?.kind == .invalidArgument)
    }

    @Test func useAfterFinishIsRejected() throws {
        let writer = try HDF5Writer()
        _ = try writer.finish()
        #expect(throws: HDF5WriteError.self) { try writer.createGroup("a") }
        let error = #expect(throws: HDF5WriteError.self) { try writer.finish() }
        #expect(error?.kind == .finished)
    }

    @Test func abandonedWriterDoesNotDisturbLaterOnes() throws {
        do {
            let abandoned = try HDF5Writer()
            try abandoned.createGroup("left/open")
        }
        #expect(try writerSmallImage(name: "x") == writerSmallImage(name: "x"))
    }

    @Test func dtypeItemSizesMatchTheirDatatypes() throws {
        for dtype in HDF5Writer.DType.allCases {
            let writer = try HDF5Writer()
            let data = ByteView(copying: HDF5WriterProfile.values(dtype, count: 1))
            try writer.createDataset("x", dtype: dtype, shape: [1], data: data)
            let node = try #require(try HDF5Oracle.read(try writer.finish()).last)
            #expect(node.data?.count == dtype.itemSize)
            #expect(node.dtypeDescription == HDF5WriterProfile.description(of: dtype))
            #expect(HDF5Writer.DType(rawValue: dtype.rawValue) == dtype)
        }
    }
}

private func writerSmallImage(name: String) throws -> [UInt8] {
    let writer = try HDF5Writer()
    try writer.createGroup("vars")
    try writer.setStringAttribute("vars", name: "name", value: name)
    let data = ByteView(copying: HDF5WriterProfile.values(.float32, count: 2))
    try writer.createDataset("vars/0", dtype: .float32, shape: [2], data: data)
    return try writer.finish()
}

