/// An HDF5 datatype (Datatype message, format spec IV.A.2.d), as stored: byte order and bit layout
/// are described, never converted.
public indirect enum HDF5Datatype: Sendable, Hashable {
    /// Class 0: a two's-complement or unsigned integer using every bit of its `size` bytes.
    /// (Integers with padding bits are rejected as `datatypeUnsupported`.)
    case fixedPoint(size: Int, signed: Bool, bigEndian: Bool)
    /// Class 1: a floating-point number; `bits` gives the bit layout (IEEE or not).
    case floatingPoint(size: Int, bigEndian: Bool, bits: HDF5FloatBits)
    /// Class 2: a time value (never written by h5py or Keras).
    case time(size: Int, bigEndian: Bool)
    /// Class 3 (`length` = byte size) or class 9 with string subtype (`length` nil: variable length).
    case string(length: Int?, charset: HDF5StringCharset, padding: HDF5StringPadding)
    /// Class 4: a bit field.
    case bitfield(size: Int, bigEndian: Bool)
    /// Class 5: opaque bytes with an ASCII tag (Keras stores bfloat16 as opaque size 2, empty tag).
    case opaque(size: Int, tag: String)
    /// Class 6: a compound of named members at byte offsets (h5py stores complex numbers as `{r, i}`).
    case compound(size: Int, members: [HDF5CompoundMember])
    /// Class 7: an object or region reference.
    case reference(size: Int, kind: HDF5ReferenceKind)
    /// Class 8: named integer values over an integer base type (h5py stores bool as `FALSE=0, TRUE=1` over int8).
    case enumeration(base: HDF5Datatype, members: [HDF5EnumMember])
    /// Class 9 with sequence subtype: a variable-length sequence of `base` elements.
    case variableLengthSequence(base: HDF5Datatype)
    /// Class 10: a fixed-size array of `base` elements.
    case array(dimensions: [Int], base: HDF5Datatype)

    /// Bytes of one element as stored in a dataset or attribute.
    public var size: Int {
        switch self {
        case let .fixedPoint(size, _, _), let .floatingPoint(size, _, _), let .time(size, _),
            let .bitfield(size, _), let .opaque(size, _), let .compound(size, _), let .reference(size, _):
            return size
        case let .string(length, _, _):
            return length ?? HDF5Datatype.variableLengthElementSize
        case let .enumeration(base, _):
            return base.size
        case .variableLengthSequence:
            return HDF5Datatype.variableLengthElementSize
        case let .array(dimensions, base):
            return dimensions.reduce(base.size, *)
        }
    }

    /// Whether the stored bytes are big-endian (nil for classes without a byte order).
    public var isBigEndian: Bool? {
        switch self {
        case let .fixedPoint(_, _, bigEndian), let .floatingPoint(_, bigEndian, _), let .time(_, bigEndian),
            let .bitfield(_, bigEndian):
            return bigEndian
        case let .enumeration(base, _), let .array(_, base):
            return base.isBigEndian
        default:
            return nil
        }
    }

    /// The on-disk size of a variable-length element with 8-byte addresses: length (4), global heap
    /// collection address (8), object index (4). The reader checks the real size against the file's
    /// size of offsets when it decodes the datatype.
    static let variableLengthElementSize = 16
}
