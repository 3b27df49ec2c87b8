/// A dense tensor in row-major (C) order: the value type of `predict`. Elements are held as float32 whatever
/// the ``dtype``: booleans as 0 and 1, integers exactly up to 2^24 (``TensorDType`` says what Keras would hold).
public struct Tensor: Sendable, Equatable, CustomStringConvertible {
    /// The dimensions; `[]` for a scalar.
    public let shape: [Int]
    /// The elements, row-major; `scalars.count` equals the product of `shape`.
    public var scalars: [Float]
    /// The dtype Keras gives this tensor (`bool` from a comparison, `int32` from an integer input or a cast).
    public var dtype: TensorDType

    /// A tensor of `shape` holding `scalars`; traps when the counts differ (caller misuse).
    public init(shape: [Int], scalars: [Float], dtype: TensorDType = .float32) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == scalars.count, "Tensor shape \(shape) does not hold \(scalars.count) scalars")
        self.shape = shape
        self.scalars = scalars
        self.dtype = dtype
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// The number of elements.
    public var count: Int { scalars.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The same elements with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, scalars: scalars, dtype: dtype) }

    /// Applies `transform` to every element; the result is float32.
    public func map(_ transform: (Float) -> Float) -> Tensor { Tensor(shape: shape, scalars: scalars.map(transform)) }

    /// The same elements as `dtype`, converted as `ops.cast` converts them: to bool by `!= 0`, to an
    /// integer by truncation toward zero (NaN and infinities to 0, as XLA's float-to-int on CPU), to a float
    /// by rounding to that float.
    public func cast(to dtype: TensorDType) -> Tensor {
        if dtype == self.dtype { return self }
        let converted: [Float]
        switch dtype {
        case .bool: converted = scalars.map { $0 != 0 ? 1 : 0 }
        case .float32, .float64: converted = scalars
        case .float16: converted = scalars.map { Float(Float16($0)) }
        case .bfloat16: converted = scalars.map(Precision.bfloat16Round)
        default: converted = scalars.map { $0.isFinite ? $0.rounded(.towardZero) : 0 }
        }
        return Tensor(shape: shape, scalars: converted, dtype: dtype)
    }

    public var description: String { dtype == .float32 ? "Tensor\(shape)" : "Tensor\(shape) \(dtype.rawValue)" }
}

/// Elementwise and reduction helpers used by the layers.
extension Tensor {
    /// The size of the last dimension (1 for scalars).
    var lastDimension: Int { shape.last ?? 1 }

    /// `self` + `other` broadcast along the last dimension (a bias), elementwise when shapes are equal.
    func adding(lastAxis vector: [Float]) -> Tensor {
        var result = scalars
        let width = vector.count
        guard width > 0 else { return self }
        for index in result.indices { result[index] += vector[index % width] }
        return Tensor(shape: shape, scalars: result)
    }
}

/// The dtypes a Keras tensor can have in the reference core, by Keras's names.
public enum TensorDType: String, Sendable, CaseIterable {
    case bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, bfloat16, float32, float64

    /// The dtype of a Keras dtype name (`"int32"`), nil for one the reference core does not hold (strings).
    public init?(keras name: String) { self.init(rawValue: name) }

    public var isFloat: Bool { [.float16, .bfloat16, .float32, .float64].contains(self) }
    public var isInteger: Bool { !isFloat && self != .bool }
}
