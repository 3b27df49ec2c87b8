import KerasBytes

/// The superblock (format spec II.A): where the file's metadata starts and how to read it.
struct HDF5Superblock {
    /// 0, 1, 2 or 3.
    let version: Int
    /// Addresses, sizes and end of file.
    let geometry: HDF5Geometry
    /// The root group's object header.
    let rootAddress: UInt64
    /// The superblock extension's object header (versions 2 and 3), if any.
    let extensionAddress: UInt64?

    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The first user-block size at which a superblock may sit; later ones double it.
    private static let firstUserBlockSize = 512
    private static let defaultGroupLeafK = 4
    private static let defaultGroupInternalK = 16
    private static let defaultChunkInternalK = 32
    private static let symbolTableScratchSize = 16

    /// Format spec II.A: finds the signature at 0, 512, 1024, ... and reads the superblock there.
    static func read(_ bytes: ByteView, limits: HDF5Limits) throws(HDF5Error) -> HDF5Superblock {
        var position = 0
        while !(bytes.suffix(from: position)?.starts(with: signature) ?? false) {
            position = position == 0 ? firstUserBlockSize : position * 2
            guard position <= bytes.count - signature.count else {
                throw HDF5Error(HDF5Error.Code.superblockNotFound,
                    "no HDF5 signature at offset 0 or at any power of two from 512 in \(bytes.count) bytes")
            }
        }
        let view = bytes.suffix(from: position)!
        let where_ = UInt64(position)
        guard let version = view.byte(at: signature.count) else {
            throw HDF5Error(HDF5Error.Code.fileTruncated, "the file ends inside the superblock", address: where_)
        }
        switch version {
        case 0, 1: return try readVersion0(view, version: Int(version), at: position, bytes: bytes, limits: limits)
        case 2, 3: return try readVersion2(view, version: Int(version), at: position, bytes: bytes, limits: limits)
        default:
            throw HDF5Error(HDF5Error.Code.superblockVersionUnsupported,
                "superblock version \(version); the reader implements 0, 1, 2 and 3", address: where_)
        }
    }

    /// A provisional geometry for reading the superblock's own fields.
    private static func provisional(_ bytes: ByteView, offsetSize: Int, lengthSize: Int) -> HDF5Geometry {
        HDF5Geometry(bytes: bytes, base: 0, endOfFile: UInt64(bytes.count), offsetSize: offsetSize, lengthSize: lengthSize,
            groupLeafK: defaultGroupLeafK, groupInternalK: defaultGroupInternalK, chunkInternalK: defaultChunkInternalK)
    }

    private static func checkSizes(offsetSize: UInt8, lengthSize: UInt8, at position: Int) throws(HDF5Error) {
        for (name, size) in [("offsets", offsetSize), ("lengths", lengthSize)] {
            switch size {
            case 2, 4, 8: continue
            case 16:
                throw HDF5Error(HDF5Error.Code.featureUnsupported,
                    "size of \(name) is 16 bytes; the reader implements 2, 4 and 8", address: UInt64(position))
            default:
                throw HDF5Error(HDF5Error.Code.superblockInvalid,
                    "size of \(name) is \(size); HDF5 allows 2, 4, 8 and 16", address: UInt64(position))
            }
        }
    }

    /// Format spec II.A, "Superblock Format - Versions 0 and 1".
    private static func readVersion0(
        _ view: ByteView, version: Int, at position: Int, bytes: ByteView, limits: HDF5Limits
    ) throws(HDF5Error) -> HDF5Superblock {
        guard let offsetSize = view.byte(at: 13), let lengthSize = view.byte(at: 14) else {
            throw HDF5Error(HDF5Error.Code.fileTruncated, "the file ends inside the superblock", address: UInt64(position))
        }
        try checkSizes(offsetSize: offsetSize, lengthSize: lengthSize, at: position)
        let geometry = provisional(view, offsetSize: Int(offsetSize), lengthSize: Int(lengthSize))
        var reader = HDF5Cursor(view, address: UInt64(position), code: HDF5Error.Code.fileTruncated, what: "superblock", geometry: geometry)
        try reader.skip(signature.count + 1)
        let freeSpaceVersion = try reader.u8()
        let rootEntryVersion = try reader.u8()
        try reader.skip(1)
        let sharedHeaderVersion = try reader.u8()
        try reader.skip(3)
        let leafK = Int(try reader.u16())
        let internalK = Int(try reader.u16())
        _ = try reader.u32()
        var chunkK = defaultChunkInternalK
        if version == 1 {
            chunkK = Int(try reader.u16())
            try reader.skip(2)
        }
        guard freeSpaceVersion == 0, rootEntryVersion == 0, sharedHeaderVersion == 0 else {
            throw reader.error(HDF5Error.Code.superblockInvalid,
                "free-space, root entry and shared header versions must be 0 (found \(freeSpaceVersion), \(rootEntryVersion), \(sharedHeaderVersion))")
        }
        guard leafK > 0, internalK > 0, chunkK > 0 else {
            throw reader.error(HDF5Error.Code.superblockInvalid, "B-tree K values must be positive (leaf \(leafK), internal \(internalK), chunk \(chunkK))")
        }
        let baseAddress = try reader.rawAddress()
        _ = try reader.rawAddress()
        let endOfFile = try reader.rawAddress()
        let driverInfo = try reader.address()
        _ = try reader.rawAddress()
        let rootAddress = try reader.address()
        _ = try reader.u32()
        try reader.skip(4 + symbolTableScratchSize)
        if driverInfo != nil {
            throw reader.error(HDF5Error.Code.featureUnsupported,
                "the superblock has a driver information block (family, multi or split file driver)")
        }
        guard let rootAddress else {
            throw reader.error(HDF5Error.Code.superblockInvalid, "the root group has the undefined address")
        }
        let geometryOut = try finish(bytes: bytes, position: position, baseAddress: baseAddress, endOfFile: endOfFile,
            superblockSize: reader.offset, offsetSize: Int(offsetSize), lengthSize: Int(lengthSize),
            leafK: leafK, internalK: internalK, chunkK: chunkK, limits: limits)
        return HDF5Superblock(version: version, geometry: geometryOut, rootAddress: rootAddress, extensionAddress: nil)
    }

    /// Format spec II.A, "Superblock Format - Versions 2 and 3".
    private static func readVersion2(
        _ view: ByteView, version: Int, at position: Int, bytes: ByteView, limits: HDF5Limits
    ) throws(HDF5Error) -> HDF5Superblock {
        guard let offsetSize = view.byte(at: 9), let lengthSize = view.byte(at: 10) else {
            throw HDF5Error(HDF5Error.Code.fileTruncated, "the file ends inside the superblock", address: UInt64(position))
        }
        try checkSizes(offsetSize: offsetSize, lengthSize: lengthSize, at: position)
        let geometry = provisional(view, offsetSize: Int(offsetSize), lengthSize: Int(lengthSize))
        var reader = HDF5Cursor(view, address: UInt64(position), code: HDF5Error.Code.fileTruncated, what: "superblock", geometry: geometry)
        try reader.skip(signature.count + 3)
        _ = try reader.u8()
        let baseAddress = try reader.rawAddress()
        let extensionAddress = try reader.address()
        let endOfFile = try reader.rawAddress()
        let rootAddress = try reader.address()
        let checked = reader.offset
        _ = try reader.u32()
        let stored = view.loadLittleEndian(UInt32.self, at: checked)!
        let computed = Lookup3.hash(view.slice(offset: 0, length: checked)!)
        guard stored == computed else {
            throw HDF5Error(HDF5Error.Code.checksumMismatch,
                "superblock checksum is 0x\(String(stored, radix: 16)) but its bytes hash to 0x\(String(computed, radix: 16))",
                address: UInt64(position))
        }
        guard let rootAddress else {
            throw reader.error(HDF5Error.Code.superblockInvalid, "the root group has the undefined address")
        }
        let geometryOut = try finish(bytes: bytes, position: position, baseAddress: baseAddress, endOfFile: endOfFile,
            superblockSize: reader.offset, offsetSize: Int(offsetSize), lengthSize: Int(lengthSize),
            leafK: defaultGroupLeafK, internalK: defaultGroupInternalK, chunkK: defaultChunkInternalK, limits: limits)
        return HDF5Superblock(version: version, geometry: geometryOut, rootAddress: rootAddress, extensionAddress: extensionAddress)
    }

    /// Checks the base and end-of-file addresses against the file and builds the geometry.
    private static func finish(
        bytes: ByteView, position: Int, baseAddress: UInt64, endOfFile: UInt64, superblockSize: Int,
        offsetSize: Int, lengthSize: Int, leafK: Int, internalK: Int, chunkK: Int, limits: HDF5Limits
    ) throws(HDF5Error) -> HDF5Geometry {
        let at = UInt64(position)
        guard baseAddress == UInt64(position) else {
            throw HDF5Error(HDF5Error.Code.superblockInvalid,
                "base address \(HDF5Decoder.hex(baseAddress)) differs from the superblock's position \(HDF5Decoder.hex(at))", address: at)
        }
        // The stored end-of-file address counts the user block (libhdf5 sets its EOA to it minus the base).
        guard endOfFile >= at + UInt64(superblockSize), endOfFile != HDF5Geometry.allOnes(width: offsetSize) else {
            throw HDF5Error(HDF5Error.Code.superblockInvalid,
                "end-of-file address \(HDF5Decoder.hex(endOfFile)) does not cover the superblock", address: at)
        }
        let available = UInt64(bytes.count)
        guard endOfFile <= available else {
            throw HDF5Error(HDF5Error.Code.fileTruncated,
                "the superblock declares an end of file at byte \(endOfFile) but the file has \(available) bytes", address: at)
        }
        if endOfFile < available && !limits.allowBytesAfterEndOfFile {
            throw HDF5Error(HDF5Error.Code.bytesAfterEndOfFile,
                "\(available - endOfFile) bytes follow the end-of-file address \(HDF5Decoder.hex(endOfFile))", address: endOfFile - at)
        }
        return HDF5Geometry(bytes: bytes, base: position, endOfFile: endOfFile - at, offsetSize: offsetSize, lengthSize: lengthSize,
            groupLeafK: leafK, groupInternalK: internalK, chunkInternalK: chunkK)
    }
}
