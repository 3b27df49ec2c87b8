extension HDF5Datatype {
    /// The Keras (NumPy) dtype name of this datatype, or nil when Keras has no dtype for it.
    ///
    /// `float16/32/64` for IEEE binary16/32/64 layouts, `int8`...`int64`, `uint8`...`uint64`, `bool` for
    /// an enumeration over a 1-byte integer with exactly `FALSE=0` and `TRUE=1`, `complex64/128` for a
    /// compound `{r, i}` of two equal IEEE floats (h5py's convention), and `opaque<size>` for opaque types
    /// (Keras's bfloat16 is `opaque2` plus the dataset attribute `dtype="bfloat16"`, decided by the caller).
    ///
    /// The name ignores byte order, as NumPy's `dtype.name` does: check ``isBigEndian`` before
    /// interpreting the bytes.
    public var kerasDTypeName: String? {
        switch self {
        case let .fixedPoint(size, signed, _):
            guard [1, 2, 4, 8].contains(size) else { return nil }
            return (signed ? "int" : "uint") + String(size * 8)
        case let .floatingPoint(size, _, bits):
            guard bits.isIEEE(size: size) else { return nil }
            return "float" + String(size * 8)
        case let .enumeration(base, members):
            guard case .fixedPoint(1, _, _) = base, members.count == 2,
                members.contains(HDF5EnumMember(name: "FALSE", value: 0)),
                members.contains(HDF5EnumMember(name: "TRUE", value: 1))
            else { return nil }
            return "bool"
        case let .opaque(size, _):
            return "opaque" + String(size)
        case let .compound(size, members):
            guard members.count == 2, members[0].name == "r", members[1].name == "i",
                members[0].offset == 0, members[0].datatype == members[1].datatype,
                case let .floatingPoint(partSize, _, bits) = members[0].datatype, bits.isIEEE(size: partSize),
                partSize == 4 || partSize == 8, members[1].offset == partSize, size == 2 * partSize
            else { return nil }
            return "complex" + String(size * 8)
        default:
            return nil
        }
    }
}
