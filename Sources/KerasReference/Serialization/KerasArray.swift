import KerasJSON

/// A NumPy array (`__numpy__`) or a backend tensor (`__tensor__`) of a config (FORMAT.md 2.1): dtype, shape
/// and elements in C order, converted as `np.array(value, dtype=dtype)` (SER:655-656) or, for tensors,
/// `jnp.asarray` under JAX without 64-bit types (SER:651-654) converts them.
public struct KerasArray: Sendable, Equatable {
    /// Which marker the array came from.
    public enum Kind: String, Sendable {
        /// `__numpy__`: a NumPy array.
        case numpy = "__numpy__"
        /// `__tensor__`: a backend tensor (JAX).
        case tensor = "__tensor__"
    }

    /// The elements in C order, in the storage class of the dtype. Floats hold the value the dtype
    /// represents (a float16 element is exactly a float16 value).
    public enum Elements: Sendable, Equatable {
        /// float16, bfloat16, float32 or float64 values.
        case floats([Double])
        /// int8 to int64 values.
        case signed([Int64])
        /// uint8 to uint64 values.
        case unsigned([UInt64])
        /// bool values.
        case bools([Bool])

        /// The number of elements.
        public var count: Int {
            switch self {
            case .floats(let values): values.count
            case .signed(let values): values.count
            case .unsigned(let values): values.count
            case .bools(let values): values.count
            }
        }
    }

    /// `__numpy__` or `__tensor__`.
    public let kind: Kind
    /// The standardized dtype name (`"float32"`); a tensor's 64-bit dtype is already narrowed as JAX does.
    public let dtype: String
    /// The shape; `[]` for a 0-d array.
    public let shape: [Int]
    /// The elements in C order.
    public let elements: Elements

    /// An array of `kind` with these parts; `elements.count` must be the product of `shape`.
    public init(kind: Kind, dtype: String, shape: [Int], elements: Elements) {
        precondition(shape.reduce(1, *) == elements.count, "KerasArray: \(elements.count) elements for shape \(shape)")
        self.kind = kind
        self.dtype = dtype
        self.shape = shape
        self.elements = elements
    }

    /// Element `index` (C order) as the JSON number or boolean `tolist()` gives.
    func json(at index: Int) -> JSONValue {
        switch elements {
        case .floats(let values): .number(.float(values[index]))
        case .signed(let values): .number(.integer(Int(values[index])))
        case .unsigned(let values):
            values[index] <= UInt64(Int.max) ? .number(.integer(Int(values[index]))) : .number(JSONNumber.integer(decimal: String(values[index]))!)
        case .bools(let values): .bool(values[index])
        }
    }

    /// The array as a float32 ``Tensor`` (integers and bools converted as `ops.cast(x, "float32")` does).
    public var float32Tensor: Tensor {
        let scalars: [Float] = switch elements {
        case .floats(let values): values.map { Float($0) }
        case .signed(let values): values.map { Float($0) }
        case .unsigned(let values): values.map { Float($0) }
        case .bools(let values): values.map { $0 ? 1 : 0 }
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// `tolist()`: nested lists of the shape, or the bare element of a 0-d array.
    public var nestedList: JSONValue {
        var next = 0
        func build(_ axis: Int) -> JSONValue {
            if axis == shape.count {
                defer { next += 1 }
                return json(at: next)
            }
            return .array((0..<shape[axis]).map { _ in build(axis + 1) })
        }
        return build(0)
    }
}
