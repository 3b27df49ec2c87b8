import KerasBytes
import KerasNpy

extension Tensor {
    /// The tensor of a NumPy array of any numeric or bool dtype (values held as float32, the dtype kept;
    /// C order required).
    public init(_ array: NpyArray) throws(ReferenceError) {
        guard !array.fortranOrder else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "Fortran-ordered arrays are not supported; save with np.ascontiguousarray")
        }
        let data = array.dtype.bigEndian ? ByteView(copying: Self.swapped(array.data.bytes, width: array.dtype.size)) : array.data
        guard let values = NumericConversion.floats(data, dtype: array.dtype.name) else {
            throw ReferenceError(ReferenceError.Code.unsupportedDType, "cannot convert \(array.dtype) to float32")
        }
        self.init(shape: array.shape, scalars: values, dtype: TensorDType(keras: array.dtype.name) ?? .float32)
    }

    /// The tensor as a little-endian float32 NumPy array.
    public var npyArray: NpyArray {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 4)
        for value in scalars { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        return NpyArray(dtype: .float32, shape: shape, data: ByteView(copying: bytes))!
    }

    private static func swapped(_ bytes: [UInt8], width: Int) -> [UInt8] {
        var result = bytes
        for start in stride(from: 0, to: result.count, by: width) { result[start..<(start + width)].reverse() }
        return result
    }
}
