import KerasBytes
import Testing
@testable import KerasHDF5

/// What the reader reports about Keras-profile and other h5py files, beyond the h5py comparison.
@Suite struct HDF5ReaderModelTests {
    static func open(_ name: String, limits: HDF5Limits = HDF5Limits()) throws -> HDF5File {
        try HDF5File.open(try ReaderTestFixtures.bytes(name), limits: limits)
    }

    static func dataset(_ file: HDF5File, _ path: String) throws -> HDF5Dataset {
        guard case let .dataset(dataset)? = file.object(at: path) else { throw HDF5Error(HDF5Error.Code.missingMessage, path) }
        return dataset
    }

    @Test(arguments: ["keras_earliest", "keras_latest"])
    func kerasDTypesAreNamed(name: String) throws {
        let file = try Self.open(name)
        let names = try (0...14).map { try Self.dataset(file, "/layers/dtypes/vars/\($0)").datatype.kerasDTypeName }
        #expect(names == [
            "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
            "bool", "opaque2", "complex64", "complex128",
        ])
        let bfloat16 = try Self.dataset(file, "/layers/dtypes/vars/12")
        #expect(bfloat16.attribute("dtype")?.value.stringValue == "bfloat16")
        #expect(try file.data(of: bfloat16).bytes == [0x80, 0x3F, 0x00, 0x40, 0x40, 0xC0])
    }

    @Test func kerasProfileIsOldStyleAndContiguous() throws {
        let file = try Self.open("keras_earliest")
        #expect(file.superblockVersion == 0)
        #expect(file.root.storage == .symbolTable)
        #expect(file.root.attribute("name")?.value.stringValue == "functional")
        let kernel = try Self.dataset(file, "/layers/dense/vars/0")
        guard case let .contiguous(address?, size) = kernel.layout else { Issue.record("\(kernel.layout)"); return }
        #expect(size == 48 && kernel.shape == [3, 4] && kernel.filters.isEmpty)
        // The data is a view of the file's own bytes.
        let data = try file.data(of: kernel)
        let inside = file.bytes.withUnsafeBytes { whole in
            data.withUnsafeBytes { part in part.baseAddress! == whole.baseAddress! + Int(address) }
        }
        #expect(inside)
        let floats = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(floats.count == 12 && floats[7] == Float(7) / 7)
    }

    @Test func scalarsAndZeroSizeDatasets() throws {
        let file = try Self.open("keras_earliest")
        let scalar = try Self.dataset(file, "/layers/scalars/vars/0")
        #expect(scalar.dataspaceKind == .scalar && scalar.shape == [] && scalar.elementCount == 1)
        #expect(try file.data(of: scalar).bytes == [7, 0, 0, 0])
        let empty = try Self.dataset(file, "/layers/scalars/vars/2")
        #expect(empty.shape == [0] && empty.declaredByteCount == 0)
        #expect(empty.layout == .contiguous(address: nil, size: 0))
        #expect(try file.data(of: empty).isEmpty)
    }

    @Test func legacyAttributesDecode() throws {
        let root = try Self.open("keras_earliest").root
        #expect(root.attribute("layer_names")?.value == .strings(["dense", "dtypes", "scalars"]))
        #expect(root.attribute("layer_names")?.datatype == .string(length: nil, charset: .ascii, padding: .nullTerminated))
        #expect(root.attribute("layer_names0")?.value == .strings(["dense", "dropout_1"]))
        #expect(root.attribute("layer_names0")?.datatype == .string(length: 9, charset: .ascii, padding: .nullPadded))
        #expect(root.attribute("weight_names")?.value == .floats([]))
        #expect(root.attribute("weight_names")?.shape == [0])
        #expect(root.attribute("model_config")?.value.stringValue?.contains("f\u{00FC}nctional") == true)
        #expect(root.attribute("half")?.value == .floats([0.5, -2]))
        #expect(root.attribute("flag")?.value == .integers([1]))
    }

    @Test func groupStorageKindsAreReported() throws {
        let earliest = try Self.open("many_links_earliest")
        let latest = try Self.open("many_links_latest")
        guard case let .group(old)? = earliest.object(at: "/many"), case let .group(new)? = latest.object(at: "/many") else {
            Issue.record("no /many group"); return
        }
        #expect(old.storage == .symbolTable && new.storage == .dense)
        #expect(old.links.count == 600 && new.links.count == 600)
        #expect(old.links.map(\.name) == new.links.map(\.name))
        // Hard links alias one dataset: every link reports the same object header address.
        let addresses = Set(new.links.compactMap { link -> UInt64? in
            if case let .dataset(dataset) = link.target { return dataset.address }
            return nil
        })
        #expect(addresses.count == 1)
        guard case let .group(ordered)? = try Self.open("track_order").object(at: "/ordered") else { Issue.record("no group"); return }
        #expect(ordered.storage == .compact)
        #expect(ordered.links.map(\.name) == ["zeta", "alpha", "mid", "10", "9", "sub"])
        #expect(ordered.links.map(\.creationOrder) == [0, 1, 2, 3, 4, 5])
    }

    @Test func softAndExternalLinksAreReportedNotFollowed() throws {
        let file = try Self.open("links")
        var soft: [String: String] = [:]
        var external: [String] = []
        file.walk { node in
            switch node {
            case let .softLink(path, target): soft[path] = target
            case let .externalLink(path, fileName, target): external.append("\(path)=\(fileName):\(target)")
            default: break
            }
        }
        #expect(soft == ["/dangling": "/nowhere", "/soft": "/data", "/group/soft_in_group": "../data"])
        #expect(external == ["/ext=other.h5:/weights"])
        #expect(file.object(at: "/soft") != nil && file.object(at: "/group/alias") != nil)
        #expect(file.object(at: "/soft/x") == nil)
    }

    @Test(arguments: ["storage_earliest", "storage_latest"])
    func storageVariantsAreDescribed(name: String) throws {
        let file = try Self.open(name)
        let external = try Self.dataset(file, "/external")
        #expect(external.externalFiles == [HDF5ExternalFile(name: "raw.bin", offset: 0, size: 16)])
        #expect(try Self.dataset(file, "/virtual").layout == .virtual)
        #expect(try Self.dataset(file, "/compact").layout == .compact(size: 24))
        let fill = try Self.dataset(file, "/fill")
        #expect(fill.fillValue == Array(UInt64(3.5.bitPattern).littleEndianBytes))
        let values = try file.data(of: fill).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        #expect(values == [3.5, 3.5, 3.5])
        let bigEndian = try Self.dataset(file, "/big_endian")
        #expect(bigEndian.datatype.isBigEndian == true && bigEndian.datatype.kerasDTypeName == "float32")
        #expect(try Self.dataset(file, "/null").dataspaceKind == .null)
        guard case let .namedDatatype(named)? = file.object(at: "/named_type") else { Issue.record("no named type"); return }
        let typed = try Self.dataset(file, "/typed")
        #expect(named.datatype == typed.datatype)
    }

    @Test func chunkedDatasetsReportTheirIndexes() throws {
        let earliest = try Self.open("chunked_earliest")
        let latest = try Self.open("chunked_latest")
        let gz = try Self.dataset(earliest, "/gz")
        #expect(gz.filters.map(\.id) == [HDF5Filter.shuffle, HDF5Filter.deflate, HDF5Filter.fletcher32])
        #expect(gz.filters.allSatisfy { $0.isSupported })
        guard case let .chunked(chunkShape, _, index) = gz.layout else { Issue.record("\(gz.layout)"); return }
        #expect(chunkShape == [7, 11] && index == .bTreeV1)
        func indexOf(_ path: String) throws -> HDF5ChunkIndex? {
            if case let .chunked(_, _, index) = try Self.dataset(latest, path).layout { return index }
            return nil
        }
        #expect(try indexOf("/one") == .singleChunk(filteredSize: nil, filterMask: 0))
        #expect(try indexOf("/implicit") == .implicit)
        #expect(try indexOf("/paged") == .fixedArray(pageBits: 10))
        #expect(try indexOf("/extensible") == .extensibleArray)
        #expect(try indexOf("/btree2") == .bTreeV2)
        #expect(try earliest.storageSize(of: Self.dataset(earliest, "/plain")) == 12 * 8 * 8 * 2)
        #expect(try latest.storageSize(of: Self.dataset(latest, "/sparse")) == 100)
        #expect(try latest.storageSize(of: Self.dataset(latest, "/unwritten")) == 0)
        let sparse = try latest.data(of: Self.dataset(latest, "/sparse")).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(sparse[0] == 7 && sparse[5] == 1 && sparse[99] == 7)
    }

    @Test func userBlockMovesAddressZero() throws {
        let file = try Self.open("userblock")
        #expect(file.userBlockSize == 512)
        #expect(try file.data(of: Self.dataset(file, "/layers/dense/vars/1")).count == 16)
    }

    @Test func walkVisitsTheRootFirstAndEveryAlias() throws {
        let file = try Self.open("many_links_earliest")
        var paths: [String] = []
        file.walk { paths.append($0.path) }
        #expect(paths.first == "/" && paths.count == 603)
        #expect(paths.filter { $0.hasPrefix("/many/link") }.count == 600)
    }
}

extension UInt64 {
    /// The eight bytes in little-endian order.
    fileprivate var littleEndianBytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: self >> UInt64(8 * $0)) } }
}
