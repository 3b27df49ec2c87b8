/// An attribute's elements in C order, decoded by class.
public enum HDF5AttributeValue: Sendable, Hashable {
    /// Fixed- or variable-length strings as h5py reads them: variable-length strings end at their first
    /// NUL; fixed-length strings lose trailing NUL bytes (spaces are kept). A scalar has one element.
    case strings([String])
    /// Strings whose bytes are not UTF-8 (shaped like ``strings(_:)``).
    case byteStrings([[UInt8]])
    /// Signed integers (1, 2, 4 or 8 bytes, any byte order), and enumerations over them.
    case integers([Int64])
    /// Unsigned integers (1, 2, 4 or 8 bytes, any byte order), and enumerations over them.
    case unsignedIntegers([UInt64])
    /// IEEE floats of 2, 4 or 8 bytes, widened to Double.
    case floats([Double])
    /// Anything else, as the stored element bytes (empty for a null dataspace).
    case raw([UInt8])

    /// The string of a one-element string value, else nil.
    public var stringValue: String? {
        if case let .strings(values) = self, values.count == 1 { return values[0] }
        return nil
    }

    /// The number of elements (bytes for ``raw(_:)``).
    public var count: Int {
        switch self {
        case let .strings(values): return values.count
        case let .byteStrings(values): return values.count
        case let .integers(values): return values.count
        case let .unsignedIntegers(values): return values.count
        case let .floats(values): return values.count
        case let .raw(bytes): return bytes.count
        }
    }
}
