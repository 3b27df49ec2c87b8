import Foundation
import KerasBytes
@testable import KerasHDF5

/// Paths and helpers shared by the reader's tests.
enum ReaderTestFixtures {
    /// Tests/KerasHDF5Tests/Fixtures.
    static let directory: String = {
        var path = #filePath
        while let last = path.last, last != "/" { path.removeLast() }
        return path + "Fixtures"
    }()

    /// The repository root (two levels above the test folder).
    static let repositoryRoot: String = {
        URL(fileURLWithPath: directory).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// Every reader fixture name (`reader_<name>.h5` with `reader_<name>.json`).
    static let names = [
        "keras_earliest", "keras_latest", "many_links_earliest", "many_links_latest", "track_order",
        "chunked_earliest", "chunked_latest", "links", "storage_earliest", "storage_latest", "userblock",
        "small_sizes", "superblock_extension",
    ]

    /// The bytes of `reader_<name>.h5`.
    static func bytes(_ name: String) throws -> ByteView {
        try ByteView(mappingFileAt: directory + "/reader_" + name + ".h5")
    }

    /// The expected view h5py recorded for `reader_<name>.h5`.
    static func expected(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/reader_" + name + ".json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// The fixture script's name for a datatype (NumPy's `dtype.str`, or a tag for strings and such).
    static func describe(_ datatype: HDF5Datatype) -> String {
        switch datatype {
        case let .string(length?, _, _): return "|S\(length)"
        case let .string(nil, charset, _): return charset == .utf8 ? "vlen-utf8" : "vlen-ascii"
        case .variableLengthSequence: return "vlen-sequence"
        case let .array(dimensions, base): return "array[\(dimensions.map(String.init).joined(separator: ", "))]" + describe(base)
        case let .fixedPoint(size, signed, bigEndian):
            return (size == 1 ? "|" : bigEndian ? ">" : "<") + (signed ? "i" : "u") + String(size)
        case let .floatingPoint(size, bigEndian, _): return (bigEndian ? ">" : "<") + "f" + String(size)
        case let .opaque(size, _): return "|V\(size)"
        case let .enumeration(base, _): return datatype.kerasDTypeName == "bool" ? "|b1" : "enum" + describe(base)
        case .compound:
            switch datatype.kerasDTypeName {
            case "complex64": return "<c8"
            case "complex128": return "<c16"
            default: return "compound"
            }
        default: return "unmapped"
        }
    }

    /// An attribute as the fixture script describes it.
    static func describe(_ attribute: HDF5Attribute) -> [String: Any] {
        var result: [String: Any] = ["name": attribute.name, "dtype": describe(attribute.datatype)]
        result["shape"] = attribute.dataspaceKind == .null ? NSNull() : attribute.shape
        switch attribute.value {
        case let .strings(values): result["kind"] = "strings"; result["value"] = values
        case let .byteStrings(values): result["kind"] = "byteStrings"; result["value"] = values
        case let .integers(values): result["kind"] = "integers"; result["value"] = values.map { Int($0) }
        case let .unsignedIntegers(values): result["kind"] = "unsigned"; result["value"] = values.map { UInt($0) }
        case let .floats(values): result["kind"] = "floats"; result["value"] = values
        case let .raw(bytes): result["kind"] = "raw"; result["value"] = bytes.map { Int($0) }
        }
        return result
    }

    /// Whether two JSON-like values are equal (numbers compared as Double unless both are integers).
    static func same(_ lhs: Any, _ rhs: Any) -> Bool {
        switch (lhs, rhs) {
        case (is NSNull, is NSNull): return true
        case let (a as String, b as String): return a == b
        case let (a as [Any], b as [Any]): return a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
        case let (a as [UInt8], b as [Any]): return same(a.map { Int($0) }, b)
        default: break
        }
        guard let a = number(lhs), let b = number(rhs) else { return false }
        return a == b
    }

    private static func number(_ value: Any) -> Double? {
        switch value {
        case let number as NSNumber: return number.doubleValue
        case let number as Int: return Double(number)
        case let number as UInt: return Double(number)
        case let number as Double: return number
        default: return nil
        }
    }

    /// The code whose name is `name`.
    static func code(named name: String) -> ErrorCode? {
        HDF5Error.Code.all.first { $0.name == name }
    }
}
