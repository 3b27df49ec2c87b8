/// A NumPy basic-indexing key, as a `GetItem` operation of a Functional graph records it (`x[:, 1:3]`,
/// `x[..., 0]`, `x[:, None]`): its deserialized items, applied to a ``Tensor`` with NumPy's rules.
/// Advanced indexing (tensors or lists as keys) and boolean keys are not basic indexing and are refused.
struct IndexKey {
    enum Item: Equatable {
        case index(Int)
        case slice(start: Int?, stop: Int?, step: Int?)
        case ellipsis
        case newAxis
    }

    let items: [Item]

    /// The key of `value`: a list (a Python tuple of items) or one item.
    init(_ value: KerasValue, at location: String) throws(ReferenceError) {
        let parts: [KerasValue]
        if case .list(let items) = value { parts = items } else { parts = [value] }
        var items: [Item] = []
        for part in parts {
            switch part {
            case .int(let number):
                guard let index = number.intValue else { throw Self.unsupported("index \(number) out of range", location) }
                items.append(.index(index))
            case .none: items.append(.newAxis)
            case .ellipsis: items.append(.ellipsis)
            case .slice(let start, let stop, let step):
                items.append(.slice(start: try Self.bound(start, location), stop: try Self.bound(stop, location), step: try Self.bound(step, location)))
            default:
                throw Self.unsupported("a GetItem key item that is not an int, a slice, None or Ellipsis (advanced indexing)", location)
            }
        }
        guard items.filter({ $0 == .ellipsis }).count <= 1 else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "an index can only have a single ellipsis ('...')", at: location)
        }
        self.items = items
    }

    private static func bound(_ value: KerasValue, _ location: String) throws(ReferenceError) -> Int? {
        switch value {
        case .none: return nil
        case .int(let number):
            guard let bound = number.intValue else { throw unsupported("slice bound \(number) out of range", location) }
            return bound
        default: throw unsupported("a slice bound that is not an int or None", location)
        }
    }

    private static func unsupported(_ reason: String, _ location: String) -> ReferenceError {
        ReferenceError(ReferenceError.Code.notImplemented, reason, at: location)
    }

    /// `tensor[key]` (NumPy basic indexing: ints drop an axis, slices keep it, None inserts one, Ellipsis
    /// stands for every axis not named).
    func apply(_ tensor: Tensor, at location: String) throws(ReferenceError) -> Tensor {
        let named = items.filter { $0 != .newAxis && $0 != .ellipsis }.count
        guard named <= tensor.shape.count else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "too many indices: \(named) for a tensor of rank \(tensor.shape.count)", at: location)
        }
        var expanded: [Item] = []
        for item in items {
            if item == .ellipsis {
                expanded += Array(repeating: .slice(start: nil, stop: nil, step: nil), count: tensor.shape.count - named)
            } else {
                expanded.append(item)
            }
        }
        if !items.contains(.ellipsis) {
            expanded += Array(repeating: .slice(start: nil, stop: nil, step: nil), count: tensor.shape.count - named)
        }
        // Per input axis the positions taken; per output axis its size.
        var positions: [[Int]] = []
        var outputShape: [Int] = []
        var axis = 0
        for item in expanded {
            switch item {
            case .newAxis:
                outputShape.append(1)
            case .index(let index):
                let length = tensor.shape[axis]
                let position = index < 0 ? index + length : index
                guard position >= 0, position < length else {
                    throw ReferenceError(ReferenceError.Code.inputMismatch, "index \(index) is out of bounds for axis \(axis) with size \(length)", at: location)
                }
                positions.append([position])
                axis += 1
            case .slice(let start, let stop, let step):
                let taken = try Self.indices(start: start, stop: stop, step: step, length: tensor.shape[axis], location)
                positions.append(taken)
                outputShape.append(taken.count)
                axis += 1
            case .ellipsis:
                break
            }
        }
        var strides = [Int](repeating: 1, count: tensor.shape.count)
        for index in stride(from: tensor.shape.count - 2, through: 0, by: -1) { strides[index] = strides[index + 1] * tensor.shape[index + 1] }
        var offsets = [0]
        for (axis, taken) in positions.enumerated() {
            offsets = offsets.flatMap { base in taken.map { base + $0 * strides[axis] } }
        }
        return Tensor(shape: outputShape, scalars: offsets.map { tensor.scalars[$0] })
    }

    /// `range(*slice(start, stop, step).indices(length))`.
    static func indices(start: Int?, stop: Int?, step: Int?, length: Int, _ location: String) throws(ReferenceError) -> [Int] {
        let step = step ?? 1
        guard step != 0 else { throw ReferenceError(ReferenceError.Code.invalidConfig, "slice step cannot be zero", at: location) }
        func clamp(_ value: Int?, default fallback: Int, low: Int, high: Int) -> Int {
            guard let value else { return fallback }
            let wrapped = value < 0 ? value &+ length : value
            return Swift.min(Swift.max(wrapped, low), high)
        }
        if step > 0 {
            let first = clamp(start, default: 0, low: 0, high: length), end = clamp(stop, default: length, low: 0, high: length)
            return first < end ? Array(stride(from: first, to: end, by: step)) : []
        }
        let first = clamp(start, default: length - 1, low: -1, high: length - 1), end = clamp(stop, default: -1, low: -1, high: length - 1)
        return first > end ? Array(stride(from: first, to: end, by: step)) : []
    }
}
