/// A dense float32 tensor in row-major (C) order: the value type of `predict`.
public struct Tensor: Sendable, Equatable, CustomStringConvertible {
    /// The dimensions; `[]` for a scalar.
    public let shape: [Int]
    /// The elements, row-major; `scalars.count` equals the product of `shape`.
    public var scalars: [Float]

    /// A tensor of `shape` holding `scalars`; traps when the counts differ (caller misuse).
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == scalars.count, "Tensor shape \(shape) does not hold \(scalars.count) scalars")
        self.shape = shape
        self.scalars = scalars
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
    public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, scalars: scalars) }

    /// Applies `transform` to every element.
    public func map(_ transform: (Float) -> Float) -> Tensor { Tensor(shape: shape, scalars: scalars.map(transform)) }

    public var description: String { "Tensor\(shape)" }
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
