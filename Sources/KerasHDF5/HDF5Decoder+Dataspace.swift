import KerasBytes

extension HDF5Decoder {
    /// HDF5 never writes a rank above 32 (`H5S_MAX_RANK`).
    static let maxFormatRank = 32
    private static let maxDimensionsPresent: UInt8 = 0x01
    private static let permutationPresent: UInt8 = 0x02

    /// Format spec IV.A.2.b: Dataspace message, versions 1 and 2.
    func dataspace(_ reader: inout HDF5Cursor) throws(HDF5Error) -> HDF5Dataspace {
        let version = try reader.u8()
        let rank = Int(try reader.u8())
        let flags = try reader.u8()
        var kind: HDF5DataspaceKind
        switch version {
        case 1:
            try reader.skip(5)
            kind = rank == 0 ? .scalar : .simple
        case 2:
            switch try reader.u8() {
            case 0: kind = .scalar
            case 1: kind = .simple
            case 2: kind = .null
            case let other: throw reader.error(HDF5Error.Code.dataspaceInvalid, "dataspace type \(other)")
            }
        default:
            throw reader.error(HDF5Error.Code.dataspaceVersionUnsupported, "dataspace version \(version); the reader implements 1 and 2")
        }
        guard rank <= HDF5Decoder.maxFormatRank else {
            throw reader.error(HDF5Error.Code.dataspaceInvalid, "rank \(rank) exceeds HDF5's maximum of 32")
        }
        guard rank <= limits.maxRank else {
            throw reader.error(HDF5Error.Code.rankLimitExceeded, "rank \(rank) exceeds maxRank (\(limits.maxRank))")
        }
        guard kind == .simple ? rank > 0 : rank == 0 else {
            throw reader.error(HDF5Error.Code.dataspaceInvalid, "a \(kind) dataspace with rank \(rank)")
        }
        guard flags & HDF5Decoder.permutationPresent == 0 else {
            throw reader.error(HDF5Error.Code.dataspaceInvalid, "permutation indices, which no HDF5 version implements")
        }
        var shape: [Int] = []
        for _ in 0..<rank {
            let raw = try reader.rawLength()
            guard let dimension = Int(exactly: raw) else {
                throw reader.error(HDF5Error.Code.dataspaceInvalid, "dimension \(raw) does not fit an Int")
            }
            shape.append(dimension)
        }
        var maxShape: [Int?] = shape
        if flags & HDF5Decoder.maxDimensionsPresent != 0 {
            let unlimited = HDF5Geometry.allOnes(width: lengthSize)
            for index in 0..<rank {
                let raw = try reader.rawLength()
                if raw == unlimited {
                    maxShape[index] = nil
                } else {
                    guard raw >= UInt64(shape[index]), let maximum = Int(exactly: raw) else {
                        throw reader.error(HDF5Error.Code.dataspaceInvalid,
                            "maximum dimension \(raw) is below the current dimension \(shape[index]) or does not fit an Int")
                    }
                    maxShape[index] = maximum
                }
            }
        }
        let count: Int
        switch kind {
        case .scalar: count = 1
        case .null: count = 0
        case .simple:
            guard let product = Checked.product(shape) else {
                throw reader.error(HDF5Error.Code.dataspaceInvalid, "the element count of shape \(shape) overflows")
            }
            count = product
        }
        return HDF5Dataspace(kind: kind, shape: shape, maxShape: maxShape, elementCount: count)
    }
}
