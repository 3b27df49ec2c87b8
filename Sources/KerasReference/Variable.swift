import KerasBytes

/// A layer variable: its Keras name, shape and dtype, and its value.
///
/// The stored bytes are kept as read so that re-saving writes exactly what was loaded; the float32
/// view used by the math is derived from them.
public final class Variable: @unchecked Sendable {
    /// The variable's name inside its layer (`kernel`, `bias`, `moving_mean`).
    public let name: String
    /// The shape the layer expects.
    public let shape: [Int]
    /// The Keras dtype (`float32`, `float16`, `bfloat16`, `int32`, `bool`).
    public private(set) var dtype: String
    /// Whether the optimizer updates it.
    public let trainable: Bool
    /// The value as float32, row-major; zeros until assigned.
    public private(set) var values: [Float]
    /// The bytes last assigned from a file, in ``dtype``: re-saving writes exactly these.
    public private(set) var storedBytes: ByteView?

    /// The most elements one variable may have: 2^27 (512 MiB of float32; the largest variable of
    /// `keras.applications`, VGG's first dense kernel, has 102,760,448), so that a config cannot make
    /// kconform allocate without bound. The declared-shape budget (`DeclaredShapeLimits`) bounds the total.
    public static let maxElements = 1 << 27

    /// A variable of zeros.
    init(name: String, shape: [Int], dtype: String = "float32", trainable: Bool = true) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
        self.trainable = trainable
        self.values = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    /// The value as a tensor.
    public var tensor: Tensor { Tensor(shape: shape, scalars: values) }

    /// Assigns stored little-endian bytes of `dtype`; Keras casts any numeric dtype to the variable's (VAR:283).
    func assign(bytes: ByteView, dtype storedDType: String, shape storedShape: [Int]) throws(ReferenceError) {
        guard storedShape == shape else {
            throw ReferenceError(ReferenceError.Code.variableShapeMismatch,
                                 "The shape of the target variable and the shape of the target value in `variable.assign(value)` must match. variable.shape=\(shape), Received: value.shape=\(storedShape)",
                                 at: name)
        }
        guard let converted = NumericConversion.floats(bytes, dtype: storedDType) else {
            throw ReferenceError(ReferenceError.Code.unsupportedDType, "cannot convert \(storedDType) to \(dtype)", at: name)
        }
        values = converted
        storedBytes = bytes
        dtype = storedDType
    }

    /// Assigns `values` stored as `dtype` (`float32`, `float16`, `bfloat16`, `float64`), as a generator or a
    /// training step sets a variable: the values are rounded to `dtype`, and saving writes that dtype.
    public func assign(_ values: [Float], as dtype: String = "float32") throws(ReferenceError) {
        guard values.count == self.values.count else {
            throw ReferenceError(ReferenceError.Code.variableShapeMismatch, "\(values.count) values for a variable of shape \(shape)", at: name)
        }
        var bytes: [UInt8] = []
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        switch dtype {
        case "float32": values.forEach { append($0.bitPattern) }
        case "float64": values.forEach { append(Double($0).bitPattern) }
        case "float16": values.forEach { append(Float16($0).bitPattern) }
        case "bfloat16": values.forEach { append(UInt16(truncatingIfNeeded: Precision.bfloat16.round($0).bitPattern >> 16)) }
        default: throw ReferenceError(ReferenceError.Code.unsupportedDType, "cannot assign float values as \(dtype)", at: name)
        }
        try assign(bytes: ByteView(copying: bytes), dtype: dtype, shape: shape)
    }

    /// The bytes to save: what was loaded, or the float32 values.
    var bytesForSaving: (dtype: String, bytes: ByteView) {
        if let storedBytes { return (dtype, storedBytes) }
        return ("float32", float32Bytes)
    }

    /// The values as little-endian float32 bytes.
    var float32Bytes: ByteView {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        return ByteView(copying: bytes)
    }
}

/// Little-endian numeric bytes to float32, for every dtype Keras stores.
enum NumericConversion {
    static func floats(_ bytes: ByteView, dtype: String) -> [Float]? {
        bytes.withUnsafeBytes { raw -> [Float]? in
            func load<T: FixedWidthInteger>(_: T.Type, _ convert: (T) -> Float) -> [Float] {
                let width = MemoryLayout<T>.size
                return (0..<(raw.count / width)).map { convert(T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * width, as: T.self))) }
            }
            switch dtype {
            case "float32": return load(UInt32.self) { Float(bitPattern: $0) }
            case "float64": return load(UInt64.self) { Float(Double(bitPattern: $0)) }
            case "float16": return load(UInt16.self) { Float(Float16(bitPattern: $0)) }
            case "bfloat16": return load(UInt16.self) { Float(bitPattern: UInt32($0) << 16) }
            case "int8": return load(Int8.self) { Float($0) }
            case "int16": return load(Int16.self) { Float($0) }
            case "int32": return load(Int32.self) { Float($0) }
            case "int64": return load(Int64.self) { Float($0) }
            case "uint8", "bool": return load(UInt8.self) { Float($0) }
            case "uint16": return load(UInt16.self) { Float($0) }
            case "uint32": return load(UInt32.self) { Float($0) }
            case "uint64": return load(UInt64.self) { Float($0) }
            default: return nil
            }
        }
    }
}
