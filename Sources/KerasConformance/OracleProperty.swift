import KerasBytes
import KerasHDF5
import KerasOracles
import KerasZip
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Property 6, oracles: a file reads identically through kconform's pure-Swift readers and through the C
/// libraries.
///
/// A zip archive is read by ``ZipArchive`` and by libzip (``ZipOracle``, consistency checks on): the same
/// members in the same order with the same name (decoded and raw), method, sizes, CRC-32, modification
/// time and contents. Every HDF5 image (a `.h5` file, or each `.h5` member of an archive) is read by
/// ``HDF5File`` and by libhdf5 (``HDF5Oracle``): the same nodes in the same order with the same kind,
/// shape, datatype, attributes (types, shapes, values) and dataset bytes. Both readers must accept the
/// file. The comparison is the one of the differential tests (`ZipArchiveTests.expectSameAsOracle`,
/// `HDF5OracleDifferentialTests`), as a library function for the conformance runner.
public enum OracleProperty {
    /// What one check compared.
    public struct Report: Sendable, Equatable {
        /// Zip archives compared.
        public var archives = 0
        /// Archive members compared.
        public var members = 0
        /// HDF5 images compared.
        public var hdf5Images = 0
        /// HDF5 nodes (groups, datasets, links) compared.
        public var hdf5Nodes = 0

        /// An empty report.
        public init() {}

        /// The sums of two reports.
        public static func + (lhs: Report, rhs: Report) -> Report {
            var sum = lhs
            sum.archives += rhs.archives
            sum.members += rhs.members
            sum.hdf5Images += rhs.hdf5Images
            sum.hdf5Nodes += rhs.hdf5Nodes
            return sum
        }
    }

    /// The property's name in reports and violations.
    public static let name = "oracles"

    private static let zipSignature: [UInt8] = [0x50, 0x4B]
    private static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Checks a file by its signature: a zip archive (and its `.h5` members), or an HDF5 image.
    /// `name` labels violations.
    public static func check(bytes: [UInt8], name: String) throws(PropertyViolation) -> Report {
        if bytes.starts(with: hdf5Signature) { return try checkHDF5(bytes, label: name) }
        if bytes.starts(with: zipSignature) { return try checkArchive(bytes, label: name) }
        throw PropertyViolation(Self.name, "\(name): neither a zip archive nor an HDF5 file")
    }

    /// Compares an archive member by member, then every member whose name ends in `.h5` as HDF5.
    public static func checkArchive(_ bytes: [UInt8], label: String) throws(PropertyViolation) -> Report {
        let archive: ZipArchive
        do throws(ZipError) { archive = try ZipArchive.read(ByteView(copying: bytes)) } catch {
            throw PropertyViolation(Self.name, "\(label): the Swift zip reader refuses the archive: \(error.code.ruleID) \(error.reason)")
        }
        let oracle: [ZipOracle.Member]
        do { oracle = try ZipOracle.read(bytes) } catch {
            throw PropertyViolation(Self.name, "\(label): libzip refuses the archive: \(error)")
        }
        guard archive.entries.count == oracle.count else {
            throw PropertyViolation(Self.name, "\(label): \(archive.entries.count) members, libzip \(oracle.count)")
        }
        var report = Report()
        report.archives = 1
        for (entry, member) in zip(archive.entries, oracle) {
            let contents: [UInt8]
            do throws(ZipError) { contents = try archive.contents(of: entry).bytes } catch {
                throw PropertyViolation(Self.name, "\(label): member \(entry.name) unreadable by the Swift reader: \(error.code.ruleID) \(error.reason)")
            }
            let differences = [
                entry.name == member.name ? nil : "name \(entry.name.debugDescription) vs \(member.name.debugDescription)",
                entry.rawName == member.rawName ? nil : "raw name",
                entry.method == member.method ? nil : "method \(entry.method) vs \(member.method)",
                entry.compressedSize == member.compressedSize ? nil : "compressed size \(entry.compressedSize) vs \(member.compressedSize)",
                entry.uncompressedSize == member.size ? nil : "size \(entry.uncompressedSize) vs \(member.size)",
                entry.crc32 == member.crc32 ? nil : "CRC-32 \(entry.crc32) vs \(member.crc32)",
                contents == member.data ? nil : "contents (\(contents.count) vs \(member.data.count) bytes)",
                localTime(entry.modified) == member.modifiedTime ? nil : "modification time \(entry.modified)",
            ].compactMap { $0 }
            if !differences.isEmpty {
                throw PropertyViolation(Self.name, "\(label): member \(entry.index) differs from libzip: \(differences.joined(separator: "; "))")
            }
            report.members += 1
            if entry.name.hasSuffix(".h5") { report = report + (try checkHDF5(contents, label: "\(label)/\(entry.name)")) }
        }
        return report
    }

    /// Compares an HDF5 image node by node.
    public static func checkHDF5(_ image: [UInt8], label: String) throws(PropertyViolation) -> Report {
        let theirs: [HDF5Oracle.Node]
        do throws(HDF5Oracle.Failure) { theirs = try HDF5Oracle.read(image) } catch {
            throw PropertyViolation(Self.name, "\(label): libhdf5 refuses the file: \(error)")
        }
        let mine: [HDF5Oracle.Node]
        do throws(HDF5Error) { mine = try readerNodes(image) } catch {
            throw PropertyViolation(Self.name, "\(label): the Swift HDF5 reader refuses the file: \(error.code.ruleID) \(error.reason)")
        }
        guard mine.map(\.path) == theirs.map(\.path) else {
            let firstDifference = zip(mine, theirs).first { $0.path != $1.path }.map { "\($0.path) vs \($1.path)" } ?? "lengths"
            throw PropertyViolation(Self.name, "\(label): \(mine.count) nodes, libhdf5 \(theirs.count); first difference: \(firstDifference)")
        }
        for (var ours, var other) in zip(mine, theirs) {
            ours.storage = nil
            other.storage = nil
            // Data the Swift side leaves unread (big-endian, external, virtual) is not compared.
            if ours.data == nil { other.data = nil }
            guard ours == other else {
                throw PropertyViolation(Self.name, "\(label): \(ours.path) differs from libhdf5: \(difference(ours, other))")
            }
        }
        var report = Report()
        report.hdf5Images = 1
        report.hdf5Nodes = mine.count
        return report
    }

    /// The fields in which two nodes differ.
    private static func difference(_ mine: HDF5Oracle.Node, _ theirs: HDF5Oracle.Node) -> String {
        var fields: [String] = []
        if mine.kind != theirs.kind { fields.append("kind \(mine.kind) vs \(theirs.kind)") }
        if mine.shape != theirs.shape { fields.append("shape \(mine.shape ?? []) vs \(theirs.shape ?? [])") }
        if mine.dtypeDescription != theirs.dtypeDescription { fields.append("dtype \(mine.dtypeDescription ?? "-") vs \(theirs.dtypeDescription ?? "-")") }
        if mine.linkTarget != theirs.linkTarget { fields.append("link target") }
        for key in Set(mine.attributes.keys).union(theirs.attributes.keys).sorted() where mine.attributes[key] != theirs.attributes[key] {
            fields.append("attribute \(key)")
        }
        if mine.data != theirs.data { fields.append("data (\(mine.data?.count ?? -1) vs \(theirs.data?.count ?? -1) bytes)") }
        return fields.joined(separator: "; ")
    }

    /// Seconds since 1970 of a DOS time read as local time, as libzip converts it.
    static func localTime(_ time: DOSDateTime) -> Int {
        var parts = tm()
        parts.tm_year = Int32(time.year - 1900)
        parts.tm_mon = Int32(time.month - 1)
        parts.tm_mday = Int32(time.day)
        parts.tm_hour = Int32(time.hour)
        parts.tm_min = Int32(time.minute)
        parts.tm_sec = Int32(time.second)
        parts.tm_isdst = -1
        return mktime(&parts)
    }

    // MARK: The Swift reader in the oracle's vocabulary

    /// Nodes depth first in link order, the root first; every dataset read whole.
    static func readerNodes(_ image: [UInt8]) throws(HDF5Error) -> [HDF5Oracle.Node] {
        let file = try HDF5File.open(ByteView(copying: image))
        var nodes: [HDF5Oracle.Node] = []
        try visit(file.root, in: file, into: &nodes)
        return nodes
    }

    private static func visit(_ group: HDF5Group, in file: HDF5File, into nodes: inout [HDF5Oracle.Node]) throws(HDF5Error) {
        nodes.append(HDF5Oracle.Node(path: group.path, kind: .group, attributes: attributes(group.attributes)))
        for link in group.links {
            let path = (group.path == "/" ? "" : group.path) + "/" + link.name
            switch link.target {
            case .group(let child):
                try visit(child, in: file, into: &nodes)
            case .dataset(let dataset):
                nodes.append(try node(dataset, in: file))
            case .namedDatatype(let datatype):
                nodes.append(HDF5Oracle.Node(path: datatype.path, kind: .namedDatatype, attributes: attributes(datatype.attributes)))
            case .soft(let target):
                nodes.append(HDF5Oracle.Node(path: path, kind: .softLink, linkTarget: target))
            case .external(let fileName, let target):
                nodes.append(HDF5Oracle.Node(path: path, kind: .externalLink, linkTarget: fileName + ":" + target))
            }
        }
    }

    private static func node(_ dataset: HDF5Dataset, in file: HDF5File) throws(HDF5Error) -> HDF5Oracle.Node {
        var data: [UInt8]?
        if dataset.externalFiles.isEmpty, dataset.layout != .virtual { data = try file.data(of: dataset).bytes }
        if dataset.datatype.isBigEndian == true { data = nil }
        if case .string(nil, _, _) = dataset.datatype { data = nil }
        return HDF5Oracle.Node(
            path: dataset.path, kind: .dataset, shape: dataset.dataspaceKind == .null ? nil : dataset.shape,
            dtypeDescription: description(dataset.datatype), attributes: attributes(dataset.attributes), data: data)
    }

    private static func attributes(_ list: [HDF5Attribute]) -> [String: HDF5Oracle.Attribute] {
        var result: [String: HDF5Oracle.Attribute] = [:]
        for attribute in list {
            let value: HDF5Oracle.Value =
                switch attribute.value {
                case .strings(let values): .strings(values)
                case .byteStrings(let values): .byteStrings(values)
                case .integers(let values): .integers(values)
                case .unsignedIntegers(let values): .unsignedIntegers(values)
                case .floats(let values): .floats(values)
                case .raw(let bytes): .other(bytes)
                }
            result[attribute.name] = HDF5Oracle.Attribute(
                dtypeDescription: description(attribute.datatype),
                shape: attribute.dataspaceKind == .null ? nil : attribute.shape, value: value)
        }
        return result
    }

    /// ``HDF5Oracle/describe(type:)``'s name for a datatype, built from the reader's description.
    static func description(_ datatype: HDF5Datatype) -> String {
        let order = datatype.isBigEndian == true ? "-be" : ""
        switch datatype {
        case let .fixedPoint(size, signed, _):
            return (signed ? "int" : "uint") + String(size * 8) + order
        case .floatingPoint:
            return (datatype.kerasDTypeName ?? "unmapped(\(datatype))") + order
        case let .string(length, charset, padding):
            let set = charset == .utf8 ? "utf8" : "ascii"
            let pad =
                switch padding {
                case .nullTerminated: "nullterm"
                case .nullPadded: "nullpad"
                case .spacePadded: "spacepad"
                }
            guard let length else { return "vlen-\(set)-string" + (pad == "nullterm" ? "" : "-\(pad)") }
            return "fixed-\(set)-string-\(length)-\(pad)"
        case let .opaque(size, tag):
            return "opaque\(size)" + (tag.isEmpty ? "" : ":\(tag)")
        case let .enumeration(base, members):
            if datatype.kerasDTypeName == "bool", base == .fixedPoint(size: 1, signed: true, bigEndian: false) { return "bool" }
            return "enum(\(description(base))){" + members.map { "\($0.name)=\($0.value)" }.joined(separator: ",") + "}"
        case let .compound(size, members):
            if let name = datatype.kerasDTypeName, datatype.isBigEndian != true { return name }
            return "compound\(size){" + members.map { "\($0.name)@\($0.offset):\(description($0.datatype))" }.joined(separator: ",") + "}"
        case let .bitfield(size, _):
            return "bitfield\(size * 8)" + order
        case let .reference(size, _):
            return "reference\(size)"
        case let .variableLengthSequence(base):
            return "vlen(\(description(base)))"
        case let .array(dimensions, base):
            return "array\(dimensions)(\(description(base)))"
        case let .time(size, _):
            return "class2-size\(size)"
        }
    }
}
