import KerasBytes

/// The state of one pass over a file's metadata: geometry, budgets, the ancestor set that turns
/// cycles into errors, and caches. Used by one thread during ``HDF5File/open(_:limits:)`` or one
/// ``HDF5File/data(of:)`` call, then dropped.
final class HDF5Decoder {
    let geometry: HDF5Geometry
    let limits: HDF5Limits
    /// Structures visited so far (``HDF5Limits/maxObjects``).
    private(set) var work = 0
    /// Current group nesting (``HDF5Limits/maxDepth``): spent on entry, refunded on exit.
    var depth = 0
    /// Object headers of the groups on the current path, and of objects being resolved for shared
    /// messages: meeting one again is a cycle.
    var ancestors: Set<UInt64> = []
    /// Declared bytes of all datasets so far (``HDF5Limits/maxTotalDeclaredBytes``).
    var totalDeclaredBytes = 0
    /// Bytes of all attribute values so far (``HDF5Limits/maxTotalAttributeBytes``).
    var totalAttributeBytes = 0
    /// Metadata bytes read and path bytes built so far (``HDF5Limits/maxMetadataBytes``).
    private(set) var metadataBytes = 0
    /// Global heap collections parsed so far, by address.
    var globalHeaps: [UInt64: HDF5GlobalHeapCollection] = [:]
    /// Object headers parsed so far, by address (hard-link aliases are parsed once, expanded each time).
    var objectHeaders: [UInt64: HDF5ObjectHeader] = [:]
    /// Fractal heap blocks whose header and checksum were verified.
    var verifiedHeapBlocks: Set<UInt64> = []

    init(geometry: HDF5Geometry, limits: HDF5Limits) {
        self.geometry = geometry
        self.limits = limits
    }

    var offsetSize: Int { geometry.offsetSize }
    var lengthSize: Int { geometry.lengthSize }

    /// Counts `units` structures against ``HDF5Limits/maxObjects``.
    func spend(_ units: Int = 1, at address: UInt64?) throws(HDF5Error) {
        work += units
        guard work <= limits.maxObjects else {
            throw HDF5Error(HDF5Error.Code.objectLimitExceeded,
                "more than \(limits.maxObjects) objects, messages and index nodes (maxObjects)", address: address)
        }
    }

    /// The `length` metadata bytes at `address`, bounds-checked and charged against
    /// ``HDF5Limits/maxMetadataBytes``.
    func view(at address: UInt64?, length: Int, what: String) throws(HDF5Error) -> ByteView {
        let bytes = try dataView(at: address, length: length, what: what)
        try charge(length, at: address)
        return bytes
    }

    /// Counts `count` bytes of metadata read or paths built against ``HDF5Limits/maxMetadataBytes``.
    func charge(_ count: Int, at address: UInt64?) throws(HDF5Error) {
        metadataBytes = Checked.add(metadataBytes, count) ?? Int.max
        guard metadataBytes <= limits.maxMetadataBytes else {
            throw HDF5Error(HDF5Error.Code.metadataBytesLimitExceeded,
                "more than \(limits.maxMetadataBytes) bytes of metadata read and paths built (maxMetadataBytes)", address: address)
        }
    }

    /// The `length` bytes at `address`, after checking both lie inside the file's end-of-file address.
    /// Not charged: used for dataset values (bounded by the declared-bytes limits) and for blocks
    /// already read once.
    func dataView(at address: UInt64?, length: Int, what: String) throws(HDF5Error) -> ByteView {
        guard let address else {
            throw HDF5Error(HDF5Error.Code.addressOutOfBounds, "\(what) has the undefined address")
        }
        guard address < geometry.endOfFile || (length == 0 && address == geometry.endOfFile) else {
            throw HDF5Error(HDF5Error.Code.addressOutOfBounds,
                "\(what) at 0x\(String(address, radix: 16)) lies at or beyond the end-of-file address 0x\(String(geometry.endOfFile, radix: 16))",
                address: address)
        }
        guard length >= 0, UInt64(length) <= geometry.endOfFile - address else {
            throw HDF5Error(HDF5Error.Code.structureTruncated,
                "\(what) of \(length) bytes at 0x\(String(address, radix: 16)) runs past the end-of-file address 0x\(String(geometry.endOfFile, radix: 16))",
                address: address)
        }
        // base + endOfFile <= bytes.count was checked when the superblock was read.
        guard let slice = geometry.bytes.slice(offset: geometry.base + Int(address), length: length) else {
            throw HDF5Error(HDF5Error.Code.structureTruncated, "\(what) lies outside the file", address: address)
        }
        return slice
    }

    /// All bytes from `address` to the end-of-file address, for structures whose size is read from
    /// their own header (not charged; the structure's own bytes are, once its size is known).
    func tail(at address: UInt64?, what: String) throws(HDF5Error) -> ByteView {
        guard let address, address < geometry.endOfFile else {
            return try dataView(at: address, length: 1, what: what)
        }
        return try dataView(at: address, length: Int(geometry.endOfFile - address), what: what)
    }

    /// A cursor over `length` bytes at `address`.
    func cursor(at address: UInt64?, length: Int, code: ErrorCode, what: String) throws(HDF5Error) -> HDF5Cursor {
        let bytes = try view(at: address, length: length, what: what)
        return HDF5Cursor(bytes, address: address ?? 0, code: code, what: what, geometry: geometry)
    }

    /// A cursor over a view that starts at file address `address`.
    func cursor(over bytes: ByteView, address: UInt64, code: ErrorCode, what: String) -> HDF5Cursor {
        HDF5Cursor(bytes, address: address, code: code, what: what, geometry: geometry)
    }

    /// Verifies the lookup3 checksum stored after the `count` bytes that start `bytes`.
    func verifyChecksum(_ bytes: ByteView, count: Int, address: UInt64, what: String) throws(HDF5Error) {
        guard let covered = bytes.slice(offset: 0, length: count),
            let stored = bytes.loadLittleEndian(UInt32.self, at: count)
        else {
            throw HDF5Error(HDF5Error.Code.structureTruncated, "\(what) is too short for its checksum", address: address)
        }
        let computed = Lookup3.hash(covered)
        guard computed == stored else {
            throw HDF5Error(HDF5Error.Code.checksumMismatch,
                "\(what) checksum is 0x\(String(stored, radix: 16)) but its bytes hash to 0x\(String(computed, radix: 16))",
                address: address)
        }
    }

    /// Adds `bytes` to the total attribute budget, checking the single-value budget too.
    func spendAttributeBytes(_ bytes: Int, at address: UInt64?) throws(HDF5Error) {
        guard bytes <= limits.maxAttributeBytes else {
            throw HDF5Error(HDF5Error.Code.attributeBytesLimitExceeded,
                "an attribute value of \(bytes) bytes exceeds maxAttributeBytes (\(limits.maxAttributeBytes))", address: address)
        }
        totalAttributeBytes = Checked.add(totalAttributeBytes, bytes) ?? Int.max
        guard totalAttributeBytes <= limits.maxTotalAttributeBytes else {
            throw HDF5Error(HDF5Error.Code.attributeBytesLimitExceeded,
                "attribute values total more than maxTotalAttributeBytes (\(limits.maxTotalAttributeBytes))", address: address)
        }
    }

    /// A file address in hexadecimal.
    static func hex(_ address: UInt64) -> String { "0x" + String(address, radix: 16) }
}
