import KerasBytes

/// A NumPy array from a `.npy` file: its dtype, shape, and a zero-copy view of its data.
///
/// Reading follows `numpy.lib.format` strictly: magic, version 1.0/2.0/3.0, a header that is exactly the
/// dict literal NumPy writes (`descr`, `fortran_order`, `shape`), then exactly the declared data bytes.
/// Object arrays (pickles) are refused, never read.
public struct NpyArray: Sendable {
    /// The element type.
    public let dtype: NpyDType
    /// The shape; `[]` for a scalar.
    public let shape: [Int]
    /// Whether the data is in Fortran (column-major) order.
    public let fortranOrder: Bool
    /// The raw element bytes as stored.
    public let data: ByteView

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
    static let alignment = 64

    /// An array of `dtype` and `shape` over `data`; nil when the sizes disagree.
    public init?(dtype: NpyDType, shape: [Int], data: ByteView, fortranOrder: Bool = false) {
        guard let count = Checked.product(shape), let bytes = Checked.multiply(count, dtype.size), bytes == data.count else { return nil }
        self.dtype = dtype
        self.shape = shape
        self.fortranOrder = fortranOrder
        self.data = data
    }

    /// The number of elements.
    public var count: Int { data.count / dtype.size }

    // MARK: Reading

    /// Reads `.npy` bytes (numpy.lib.format, versions 1.0 to 3.0).
    public static func read(_ bytes: ByteView, limits: NpyLimits = NpyLimits()) throws(NpyError) -> NpyArray {
        guard bytes.starts(with: magic) else { throw NpyError(NpyError.Code.badMagic, "missing \\x93NUMPY magic", offset: 0) }
        guard let major = bytes.byte(at: 6), bytes.byte(at: 7) == 0 else {
            throw NpyError(NpyError.Code.truncatedHeader, "no version bytes", offset: 6)
        }
        let lengthWidth: Int
        switch major {
        case 1: lengthWidth = 2
        case 2, 3: lengthWidth = 4
        default: throw NpyError(NpyError.Code.unsupportedVersion, "format version \(major).\(bytes[7])", offset: 6)
        }
        let headerLength: Int
        if lengthWidth == 2 {
            guard let value = bytes.loadLittleEndian(UInt16.self, at: 8) else { throw NpyError(NpyError.Code.truncatedHeader, "no header length", offset: 8) }
            headerLength = Int(value)
        } else {
            guard let value = bytes.loadLittleEndian(UInt32.self, at: 8), let length = Int(exactly: value) else {
                throw NpyError(NpyError.Code.truncatedHeader, "no header length", offset: 8)
            }
            headerLength = length
        }
        guard headerLength <= limits.maxHeaderBytes else {
            throw NpyError(NpyError.Code.headerTooLarge, "header of \(headerLength) bytes is over \(limits.maxHeaderBytes)", offset: 8)
        }
        let headerStart = 8 + lengthWidth
        guard let header = bytes.slice(offset: headerStart, length: headerLength) else {
            throw NpyError(NpyError.Code.truncatedHeader, "header of \(headerLength) bytes runs past the end", offset: headerStart)
        }
        var parser = NpyHeaderParser(bytes: header.bytes, offset: headerStart)
        let fields = try parser.parse()
        guard fields.rank <= limits.maxRank else {
            throw NpyError(NpyError.Code.rankTooLarge, "\(fields.rank) dimensions is over \(limits.maxRank)", offset: headerStart)
        }
        if fields.descr.dropFirst().hasPrefix("O") {
            throw NpyError(NpyError.Code.objectArray, "dtype \(fields.descr) is an object array (pickled data)", offset: headerStart)
        }
        guard let dtype = NpyDType(descr: fields.descr) else {
            throw NpyError(NpyError.Code.unsupportedDType, "dtype \(fields.descr) is not a number or bool", offset: headerStart)
        }
        guard let count = Checked.product(fields.shape), let byteCount = Checked.multiply(count, dtype.size) else {
            throw NpyError(NpyError.Code.shapeOverflow, "shape \(fields.shape) overflows", offset: headerStart)
        }
        guard byteCount <= limits.maxDataBytes else {
            throw NpyError(NpyError.Code.dataTooLarge, "\(byteCount) bytes declared is over \(limits.maxDataBytes)", offset: headerStart)
        }
        let dataStart = headerStart + headerLength
        guard bytes.count - dataStart == byteCount, let data = bytes.slice(offset: dataStart, length: byteCount) else {
            throw NpyError(NpyError.Code.dataSizeMismatch, "\(bytes.count - dataStart) data bytes for \(byteCount) declared", offset: dataStart)
        }
        return NpyArray(dtype: dtype, shape: fields.shape, data: data, fortranOrder: fields.fortranOrder)!
    }

    // MARK: Writing

    /// The `.npy` bytes NumPy's `np.save` writes for this array (version 1.0, header padded to 64).
    public func fileBytes() -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(dtype.descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeText), }"
        let preamble = Self.magic.count + 2 + 2
        let padding = (Self.alignment - (preamble + header.utf8.count + 1) % Self.alignment) % Self.alignment
        header += String(repeating: " ", count: padding) + "\n"
        var output = Self.magic + [1, 0]
        let length = UInt16(header.utf8.count)
        output += [UInt8(length & 0xFF), UInt8(length >> 8)]
        output += Array(header.utf8)
        output += data.bytes
        return output
    }
}
