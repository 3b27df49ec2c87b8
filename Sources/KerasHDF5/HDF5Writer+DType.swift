import CHDF5

extension HDF5Writer {
    /// An element type of a dataset, named as Keras names the variable dtype.
    ///
    /// Each maps to the HDF5 datatype h5py writes for the numpy dtype Keras hands it (FORMAT.md
    /// 4.4): IEEE floats and fixed-point integers, little-endian; `bool` as h5py's enum over int8;
    /// `bfloat16` as an opaque 2-byte type (the writer adds the dataset attribute
    /// `dtype="bfloat16"` as Keras does); complex numbers as h5py's compound `{r, i}`.
    public enum DType: String, CaseIterable, Sendable {
        /// IEEE half precision (sign 15, exponent 10..14 biased 15, mantissa 0..9).
        case float16
        /// IEEE single precision.
        case float32
        /// IEEE double precision.
        case float64
        /// bfloat16 bits stored as opaque 2-byte elements with an empty tag.
        case bfloat16
        /// Signed 8-bit integer.
        case int8
        /// Signed 16-bit integer.
        case int16
        /// Signed 32-bit integer.
        case int32
        /// Signed 64-bit integer.
        case int64
        /// Unsigned 8-bit integer.
        case uint8
        /// Unsigned 16-bit integer.
        case uint16
        /// Unsigned 32-bit integer.
        case uint32
        /// Unsigned 64-bit integer.
        case uint64
        /// Enum over int8 with members `FALSE = 0`, `TRUE = 1`; data bytes must be 0 or 1.
        case bool
        /// Compound of two float32 members `r` (offset 0) and `i` (offset 4).
        case complex64
        /// Compound of two float64 members `r` (offset 0) and `i` (offset 8).
        case complex128

        /// Bytes per element.
        public var itemSize: Int {
            switch self {
            case .int8, .uint8, .bool: 1
            case .float16, .bfloat16, .int16, .uint16: 2
            case .float32, .int32, .uint32: 4
            case .float64, .int64, .uint64, .complex64: 8
            case .complex128: 16
            }
        }
    }
}

extension HDF5Writer.DType {
    /// Exponent bias and bit fields of IEEE half precision, as h5py defines `IEEE_F16LE`.
    private enum Half {
        static let signPosition = 15
        static let exponentPosition = 10
        static let exponentSize = 5
        static let mantissaPosition = 0
        static let mantissaSize = 10
        static let exponentBias = 15
        static let size = 2
    }

    /// A new file datatype for this dtype, built the way h5py builds it; the caller closes it.
    func makeDatatype(path: String) throws(HDF5WriteError) -> hid_t {
        switch self {
        case .float32: return try copy(kc_H5T_IEEE_F32LE(), path: path)
        case .float64: return try copy(kc_H5T_IEEE_F64LE(), path: path)
        case .int8: return try copy(kc_H5T_STD_I8LE(), path: path)
        case .int16: return try copy(kc_H5T_STD_I16LE(), path: path)
        case .int32: return try copy(kc_H5T_STD_I32LE(), path: path)
        case .int64: return try copy(kc_H5T_STD_I64LE(), path: path)
        case .uint8: return try copy(kc_H5T_STD_U8LE(), path: path)
        case .uint16: return try copy(kc_H5T_STD_U16LE(), path: path)
        case .uint32: return try copy(kc_H5T_STD_U32LE(), path: path)
        case .uint64: return try copy(kc_H5T_STD_U64LE(), path: path)
        case .float16: return try makeHalf(path: path)
        case .bfloat16:
            return try HDF5Writer.valid(H5Tcreate(H5T_OPAQUE, itemSize), "H5Tcreate", path: path)
        case .bool: return try makeBool(path: path)
        case .complex64: return try makeComplex(part: kc_H5T_IEEE_F32LE(), partSize: 4, path: path)
        case .complex128: return try makeComplex(part: kc_H5T_IEEE_F64LE(), partSize: 8, path: path)
        }
    }

    private func copy(_ type: hid_t, path: String) throws(HDF5WriteError) -> hid_t {
        try HDF5Writer.valid(H5Tcopy(type), "H5Tcopy", path: path)
    }

    private func makeHalf(path: String) throws(HDF5WriteError) -> hid_t {
        let type = try copy(kc_H5T_IEEE_F32LE(), path: path)
        do throws(HDF5WriteError) {
            try HDF5Writer.check(
                H5Tset_fields(
                    type, Half.signPosition, Half.exponentPosition, Half.exponentSize, Half.mantissaPosition,
                    Half.mantissaSize),
                "H5Tset_fields", path: path)
            try HDF5Writer.check(H5Tset_size(type, Half.size), "H5Tset_size", path: path)
            try HDF5Writer.check(H5Tset_ebias(type, Half.exponentBias), "H5Tset_ebias", path: path)
            return type
        } catch {
            _ = H5Tclose(type)
            throw error
        }
    }

    private func makeBool(path: String) throws(HDF5WriteError) -> hid_t {
        let type = try HDF5Writer.valid(H5Tenum_create(kc_H5T_NATIVE_INT8()), "H5Tenum_create", path: path)
        do throws(HDF5WriteError) {
            for (name, value) in [("FALSE", Int8(0)), ("TRUE", Int8(1))] {
                var member = value
                try HDF5Writer.check(H5Tenum_insert(type, name, &member), "H5Tenum_insert", path: path)
            }
            return type
        } catch {
            _ = H5Tclose(type)
            throw error
        }
    }

    private func makeComplex(part: hid_t, partSize: Int, path: String) throws(HDF5WriteError) -> hid_t {
        let type = try HDF5Writer.valid(H5Tcreate(H5T_COMPOUND, itemSize), "H5Tcreate", path: path)
        do throws(HDF5WriteError) {
            try HDF5Writer.check(H5Tinsert(type, "r", 0, part), "H5Tinsert", path: path)
            try HDF5Writer.check(H5Tinsert(type, "i", partSize, part), "H5Tinsert", path: path)
            return type
        } catch {
            _ = H5Tclose(type)
            throw error
        }
    }
}
