import Foundation
import KerasFormat
import KerasJSON

/// A `keras.ops` operation recorded in a Functional graph (module `keras.src.ops.numpy` or
/// `keras.src.ops.nn`, e.g. `x * (1/6)` in MobileNetV3 saves an `Multiply` whose node arguments are a
/// tensor and a number). Its positional arguments come from the recorded node: tensors in the order the
/// Functional passes them, numbers as constants (Python floats are weakly typed, so float32 here).
/// Binary arithmetic broadcasts as NumPy does.
final class OperationLayer: BaseLayer, @unchecked Sendable {
    /// Arithmetic of two operands, on values already in the result dtype.
    static let binary: [String: @Sendable (Float, Float) -> Float] = [
        "Add": { $0 + $1 }, "Subtract": { $0 - $1 }, "Multiply": { $0 * $1 }, "Divide": { $0 / $1 },
        "TrueDivide": { $0 / $1 }, "Maximum": { max($0, $1) }, "Minimum": { min($0, $1) }, "Power": { pow($0, $1) },
        "FloorDivide": { ($0 / $1).rounded(.down) },
        "Mod": { a, b in b == 0 ? .nan : a - (a / b).rounded(.down) * b },
        "Arctan2": { atan2($0, $1) },
    ]
    /// Comparisons and logical operations of two operands: boolean results.
    static let predicates: [String: @Sendable (Float, Float) -> Bool] = [
        "Equal": { $0 == $1 }, "NotEqual": { $0 != $1 }, "Greater": { $0 > $1 }, "GreaterEqual": { $0 >= $1 },
        "Less": { $0 < $1 }, "LessEqual": { $0 <= $1 }, "LogicalAnd": { $0 != 0 && $1 != 0 },
        "LogicalOr": { $0 != 0 || $1 != 0 }, "LogicalXor": { ($0 != 0) != ($1 != 0) },
    ]
    /// Operations of one tensor whose result is a float (an integer input is promoted to float32).
    static let unary: [String: @Sendable (Float) -> Float] = [
        "Sqrt": { $0.squareRoot() }, "Exp": { exp($0) }, "Log": { log($0) }, "Log1p": { log1p($0) }, "Expm1": { expm1($0) },
        "Sin": { sin($0) }, "Cos": { cos($0) }, "Tan": { tan($0) }, "Arcsin": { asin($0) }, "Arccos": { acos($0) },
        "Arctan": { atan($0) }, "Sinh": { sinh($0) }, "Cosh": { cosh($0) }, "Tanh": { tanh($0) }, "Arcsinh": { asinh($0) },
        "Arccosh": { acosh($0) }, "Arctanh": { atanh($0) }, "Sigmoid": { 1 / (1 + exp(-$0)) },
        "Silu": { $0 / (1 + exp(-$0)) }, "Softplus": { max($0, 0) + log1p(exp(-abs($0))) }, "Softsign": { $0 / (1 + abs($0)) },
        "Selu": { $0 > 0 ? 1.0507009873554805 * $0 : 1.0507009873554805 * 1.6732632423543772 * expm1($0) },
        "HardSigmoid": { min(max($0 / 6 + 0.5, 0), 1) }, "HardSilu": { $0 * min(max($0 / 6 + 0.5, 0), 1) },
        "Reciprocal": { 1 / $0 }, "Rsqrt": { 1 / $0.squareRoot() }, "Erf": { erf($0) },
    ]
    /// Operations of one tensor that keep its dtype.
    static let unaryKeepingType: [String: @Sendable (Float) -> Float] = [
        "Negative": { -$0 }, "Abs": { abs($0) }, "Absolute": { abs($0) }, "Square": { $0 * $0 }, "Relu": { max($0, 0) },
        "Relu6": { min(max($0, 0), 6) }, "Sign": { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, "Floor": { $0.rounded(.down) },
        "Ceil": { $0.rounded(.up) },
    ]
    /// Every operation class with forward math here (the rest of ``KerasCallFacts/operations`` is named
    /// unsupported with KC-REF-008).
    static var implemented: Set<String> {
        Set(binary.keys).union(predicates.keys).union(unary.keys).union(unaryKeepingType.keys).union([
            "GetItem", "Cast", "Where", "LogicalNot", "Round", "Gelu", "Elu", "LeakyRelu", "Clip", "ExpandDims", "Squeeze",
            "Reshape", "Transpose", "Concatenate", "Stack", "Take", "Sum", "Mean", "Max", "Min", "Prod", "Any", "All",
            "Argmax", "Argmin", "Softmax", "LogSoftmax", "Matmul", "Einsum", "Argsort", "Swapaxes", "Moveaxis", "Repeat",
            "TakeAlongAxis", "Tile", "Flip", "Roll", "Split", "BroadcastTo", "Var", "Std", "Cumsum", "Cumprod", "Logsumexp",
            "ZerosLike", "OnesLike",
        ])
    }

    /// One positional argument of a recorded call.
    enum Argument {
        /// A tensor the Functional passes (`__keras_tensor__`).
        case tensor
        /// A number, a NumPy array (`__numpy__`) or a backend tensor (`__tensor__`): a constant; a Python
        /// number is weakly typed (it takes the other operand's dtype).
        case constant(Tensor, weak: Bool)
        /// A list of tensors and constants (`ops.concatenate([a, b])`).
        case list([Argument])
        /// Any other value (a `GetItem` key: ints, slices, Ellipsis, None).
        case value(KerasValue)
    }

    /// The positional arguments of the call being replayed (outside a Functional, of every recorded call,
    /// which must agree), deserialized as Keras deserializes them (``ValueDeserializer``).
    private func arguments() throws(ReferenceError) -> [Argument] {
        let nodes = CallContext.node.map { [$0] } ?? envelope.object["inbound_nodes"]?.arrayValue ?? []
        guard let first = nodes.first else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "\(className) operation without a recorded call", at: name)
        }
        if let kwargs = first["kwargs"]?.objectValue, !kwargs.isEmpty {
            throw ReferenceError(ReferenceError.Code.notImplemented, "\(className) operation with keyword arguments \(kwargs.keys)", at: name)
        }
        var deserializer = ValueDeserializer()
        func convert(_ value: KerasValue) -> Argument {
            switch value {
            case .kerasTensor: return .tensor
            case .int(let number): return .constant(Tensor(shape: [], scalars: [Float(number.doubleValue ?? .nan)], dtype: .int32), weak: true)
            case .float(let double): return .constant(Tensor(shape: [], scalars: [Float(double)]), weak: true)
            case .bool(let flag): return .constant(Tensor(shape: [], scalars: [flag ? 1 : 0], dtype: .bool), weak: true)
            case .array(let array): return .constant(array.float32Tensor, weak: false)
            case .list(let items) where items.contains(where: { if case .kerasTensor = $0 { return true } else { return false } }):
                return .list(items.map(convert))
            case .list(let items) where !items.isEmpty && items.allSatisfy({ if case .int = $0 { return true } else { return false } }):
                // A Python list of ints (`ops.take(x, [0, 2])`): converted to an int32 tensor.
                let values = items.map { item -> Float in if case .int(let number) = item { return Float(number.doubleValue ?? .nan) } else { return .nan } }
                return .constant(Tensor(shape: [values.count], scalars: values, dtype: .int32), weak: false)
            case let other: return .value(other)
            }
        }
        var result: [Argument] = []
        for (index, argument) in (first["args"]?.arrayValue ?? []).enumerated() {
            result.append(convert(try deserializer.deserialize(argument, at: name + "/args/" + String(index))))
        }
        let constants = nodes.map { node in (node["args"]?.arrayValue ?? []).map { $0["class_name"] == .string("__keras_tensor__") ? JSONValue.null : $0 } }
        guard constants.allSatisfy({ $0 == constants[0] }) else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "calls of \(className) pass different constants", at: name)
        }
        return result
    }

    /// An operand: a tensor, and whether it is a weakly typed Python number.
    private typealias Operand = (tensor: Tensor, weak: Bool)

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        var tensors = inputs.makeIterator()
        func resolve(_ argument: Argument) throws(ReferenceError) -> [Operand] {
            switch argument {
            case .constant(let constant, let weak): return [(constant, weak)]
            case .value: return []
            case .list(let items):
                var result: [Operand] = []
                for item in items { result += try resolve(item) }
                return result
            case .tensor:
                guard let tensor = tensors.next() else {
                    throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) got \(inputs.count) tensors for its recorded arguments", at: name)
                }
                return [(tensor, false)]
            }
        }
        let arguments = try arguments()
        var operands: [Operand] = []
        var others: [KerasValue] = []
        var listOperands: [Operand]?
        for argument in arguments {
            if case .value(let value) = argument { others.append(value) }
            if case .list = argument { listOperands = try resolve(argument) } else { operands += try resolve(argument) }
        }
        if className == "GetItem", operands.count == 1, others.count == 1 {
            return [try IndexKey(others[0], at: name).apply(operands[0].tensor, at: name)]
        }
        guard others.isEmpty else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "\(className) operation with non-numeric arguments has no forward math in kconform", at: name)
        }
        if className == "Split", operands.count == 1 { return try split(operands[0].tensor) }
        return [try compute(operands, list: listOperands)]
    }

    /// `dtypes.result_type` of the operands, as far as the reference core's dtypes go: a weak Python number
    /// takes the other operand's type (a float number makes an integer float32); bool < integers < floats.
    private static func resultType(_ operands: [Operand]) -> TensorDType {
        let strong = operands.filter { !$0.weak }.map(\.tensor.dtype)
        let weak = operands.filter(\.weak).map(\.tensor.dtype)
        func rank(_ dtype: TensorDType) -> Int { dtype == .bool ? 0 : (dtype.isInteger ? 1 : 2) }
        guard var result = strong.max(by: { rank($0) < rank($1) }) else { return weak.contains { $0.isFloat } ? .float32 : (weak.first ?? .float32) }
        if let widest = strong.filter({ rank($0) == rank(result) }).max(by: { $0.rawValue.count < $1.rawValue.count }) { result = widest }
        if strong.contains(.int64) && rank(result) == 1 { result = .int64 }
        if weak.contains(where: { $0.isFloat }) && !result.isFloat { result = .float32 }
        if weak.contains(where: { $0.isInteger }) && result == .bool { result = .int32 }
        return result
    }

    private func axes(_ key: String, rank: Int) throws(ReferenceError) -> [Int]? {
        guard let value = config[key] else { return nil }
        let list = value.intValue.map { [$0] } ?? value.arrayValue?.compactMap(\.intValue)
        guard let list else { throw config.error(key, "an integer, a list of integers or null") }
        var result: [Int] = []
        for axis in list {
            guard let resolved = resolveAxis(axis, rank: rank) else { throw config.error(key, "axes within rank \(rank)") }
            result.append(resolved)
        }
        return result
    }

    private func unsupported() -> ReferenceError {
        ReferenceError(ReferenceError.Code.notImplemented, "operation \(className) has no forward math in kconform", at: name)
    }

    private func compute(_ operands: [Operand], list: [Operand]?) throws(ReferenceError) -> Tensor {
        let tensors = operands.map(\.tensor)
        func broadcast(_ a: Tensor, _ b: Tensor, _ combine: (Float, Float) -> Float) throws(ReferenceError) -> Tensor {
            guard let result = a.broadcast(with: b, combine) else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) operands \([a.shape, b.shape]) do not broadcast", at: name)
            }
            return result
        }
        if let predicate = Self.predicates[className], operands.count == 2 {
            var result = try broadcast(tensors[0], tensors[1]) { predicate($0, $1) ? 1 : 0 }
            result.dtype = .bool
            return result
        }
        if let function = Self.binary[className], operands.count == 2 {
            var dtype = Self.resultType(operands)
            if ["Divide", "TrueDivide"].contains(className), !dtype.isFloat { dtype = .float32 }
            let (a, b) = (tensors[0].cast(to: dtype), tensors[1].cast(to: dtype))
            if dtype == .bool, className == "Add" || className == "Multiply" {
                var result = try broadcast(a, b) { className == "Add" ? (($0 != 0 || $1 != 0) ? 1 : 0) : (($0 != 0 && $1 != 0) ? 1 : 0) }
                result.dtype = .bool
                return result
            }
            var result = try broadcast(a, b, function)
            if dtype.isInteger { result = result.cast(to: dtype) }
            result.dtype = dtype
            return precision(of: dtype).round(result)
        }
        if operands.count == 1, let x = tensors.first {
            if let function = Self.unary[className] {
                return x.cast(to: x.dtype.isFloat ? x.dtype : .float32).map(function)
            }
            if let function = Self.unaryKeepingType[className] {
                var result = x.map(function)
                result.dtype = x.dtype
                return result
            }
            return try computeUnary(x)
        }
        switch className {
        case "Where":
            guard tensors.count == 3 else { throw unsupported() }
            let dtype = Self.resultType(Array(operands.dropFirst()))
            let (x1, x2) = (tensors[1].cast(to: dtype), tensors[2].cast(to: dtype))
            // Broadcast all three: the condition picks elementwise.
            let shaped = try broadcast(try broadcast(tensors[0], x1) { a, _ in a }, x2) { a, _ in a }
            let left = try broadcast(try broadcast(x1, tensors[0]) { a, _ in a }, x2) { a, _ in a }
            let right = try broadcast(try broadcast(x2, tensors[0]) { a, _ in a }, x1) { a, _ in a }
            var result = Tensor(shape: shaped.shape, scalars: (0..<shaped.count).map { shaped.scalars[$0] != 0 ? left.scalars[$0] : right.scalars[$0] })
            result.dtype = dtype
            return result
        case "Matmul":
            guard tensors.count == 2 else { throw unsupported() }
            return try matmul(tensors[0], tensors[1])
        case "Einsum":
            guard tensors.count == 2 else { throw unsupported() }
            let equation = try config.string("subscripts")
            let einsum = try Einsum(equation, leftRank: tensors[0].rank, rightRank: tensors[1].rank, layer: name)
            return try einsum.apply(tensors[0], tensors[1], layer: name)
        case "Concatenate", "Stack":
            guard let list, let first = list.first?.tensor else { throw unsupported() }
            let dtype = Self.resultType(list)
            let parts = list.map { $0.tensor.cast(to: dtype) }
            var axis = try config.int("axis", default: 0)
            if className == "Stack" {
                let rank = first.rank + 1
                if axis < 0 { axis += rank }
                guard axis >= 0, axis < rank else { throw config.error("axis", "an axis within rank \(rank)") }
                var expanded: [Tensor] = []
                for part in parts { var shape = part.shape; shape.insert(1, at: axis); expanded.append(part.reshaped(shape)) }
                var joined = try Concatenate.join(expanded, axis: axis)
                joined.dtype = dtype
                return joined
            }
            if axis < 0 { axis += first.rank }
            var joined = try Concatenate.join(parts, axis: axis)
            joined.dtype = dtype
            return joined
        case "Take":
            guard tensors.count == 2 else { throw unsupported() }
            return try take(tensors[0], indices: tensors[1])
        case "TakeAlongAxis":
            guard tensors.count == 2 else { throw unsupported() }
            return try takeAlongAxis(tensors[0], indices: tensors[1])
        default:
            throw unsupported()
        }
    }

    private func precision(of dtype: TensorDType) -> Precision {
        switch dtype {
        case .float16: .float16
        case .bfloat16: .bfloat16
        default: .float32
        }
    }

    private func computeUnary(_ x: Tensor) throws(ReferenceError) -> Tensor {
        switch className {
        case "Cast":
            guard let dtype = TensorDType(keras: config["dtype"]?.stringValue ?? config["dtype"]?["config"]?["name"]?.stringValue ?? "") else {
                throw ReferenceError(ReferenceError.Code.notImplemented, "Cast to \(config["dtype"].map { "\($0)" } ?? "nothing") has no forward math in kconform", at: name)
            }
            return x.cast(to: dtype)
        case "LogicalNot":
            return Tensor(shape: x.shape, scalars: x.scalars.map { $0 == 0 ? 1 : 0 }, dtype: .bool)
        case "Round":
            let decimals = try config.int("decimals", default: 0)
            let scale = Float(pow(10, Double(decimals)))
            var result = x.map { ($0 * scale).rounded(.toNearestOrEven) / scale }
            result.dtype = x.dtype
            return result
        case "Gelu":
            let approximate = try config.bool("approximate", default: true)
            let root: Float = 0.7978845608028654
            let inverseRoot2: Float = 0.7071067811865476
            return x.map { (value: Float) -> Float in
                if approximate {
                    let cube: Float = value * value * value
                    let inner: Float = root * (value + 0.044715 * cube)
                    return 0.5 * value * (1 + tanh(inner))
                }
                let scaled: Float = value * inverseRoot2
                return 0.5 * value * (1 + erf(scaled))
            }
        case "Elu":
            let alpha = try config.float("alpha", default: 1)
            return x.map { $0 > 0 ? $0 : alpha * expm1($0) }
        case "LeakyRelu":
            let slope = try config.float("negative_slope", default: 0.2)
            return x.map { $0 >= 0 ? $0 : slope * $0 }
        case "Clip":
            let (low, high) = (try config.float("x_min", default: -.infinity), try config.float("x_max", default: .infinity))
            var result = x.map { min(max($0, low), high) }
            result.dtype = x.dtype == .bool ? .int32 : x.dtype
            return result
        case "ExpandDims":
            guard let axes = try axes("axis", rank: x.rank + 1) else { throw config.error("axis", "an axis") }
            var shape = x.shape
            for axis in axes.sorted() { shape.insert(1, at: axis) }
            return x.reshaped(shape)
        case "Squeeze":
            let axes = try axes("axis", rank: x.rank) ?? x.shape.indices.filter { x.shape[$0] == 1 }
            guard axes.allSatisfy({ x.shape[$0] == 1 }) else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "cannot squeeze axes \(axes) of \(x.shape)", at: name)
            }
            return x.reshaped(x.shape.indices.filter { !axes.contains($0) }.map { x.shape[$0] })
        case "Reshape":
            guard let list = config["newshape"]?.arrayValue?.compactMap(\.intValue) ?? config["newshape"]?.intValue.map({ [$0] }) else {
                throw config.error("newshape", "a shape")
            }
            var shape = list
            if let unknown = shape.firstIndex(of: -1) {
                let known = shape.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
                guard known > 0, x.count % known == 0 else { throw config.error("newshape", "a shape holding \(x.count) elements") }
                shape[unknown] = x.count / known
            }
            guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == x.count else { throw config.error("newshape", "a shape holding \(x.count) elements") }
            return x.reshaped(shape)
        case "Transpose":
            let permutation = try axes("axes", rank: x.rank) ?? Array((0..<x.rank).reversed())
            guard permutation.sorted() == Array(0..<x.rank) else { throw config.error("axes", "a permutation of \(x.rank) axes") }
            return x.transposed(permutation)
        case "Softmax", "LogSoftmax":
            guard let axis = resolveAxis(try config.int("axis", default: -1), rank: x.rank) else { throw config.error("axis", "an axis within rank \(x.rank)") }
            let soft = SoftmaxLayer.softmax(x.cast(to: x.dtype.isFloat ? x.dtype : .float32), axes: [axis])
            return className == "Softmax" ? soft : try logSoftmax(x, axis: axis)
        case "Sum", "Mean", "Max", "Min", "Prod", "Any", "All", "Argmax", "Argmin", "Var", "Std", "Logsumexp":
            return try reduce(x)
        case "ZerosLike", "OnesLike":
            let dtype = config["dtype"]?.stringValue.flatMap(TensorDType.init(keras:)) ?? x.dtype
            return Tensor(shape: x.shape, scalars: [Float](repeating: className == "ZerosLike" ? 0 : 1, count: x.count), dtype: dtype)
        case "Swapaxes":
            guard let first = resolveAxis(try config.int("axis1"), rank: x.rank), let second = resolveAxis(try config.int("axis2"), rank: x.rank) else {
                throw config.error("axis1", "axes within rank \(x.rank)")
            }
            var permutation = Array(0..<x.rank)
            permutation.swapAt(first, second)
            return x.transposed(permutation)
        case "Moveaxis":
            guard let sources = try axes("source", rank: x.rank), let destinations = try axes("destination", rank: x.rank),
                  sources.count == destinations.count else { throw config.error("source", "axes matching destination") }
            var rest = (0..<x.rank).filter { !sources.contains($0) }
            var permutation = [Int](repeating: -1, count: x.rank)
            for (source, destination) in zip(sources, destinations) { permutation[destination] = source }
            for index in permutation.indices where permutation[index] == -1 { permutation[index] = rest.removeFirst() }
            return x.transposed(permutation)
        case "Repeat":
            let repeats = try config.int("repeats")
            guard repeats >= 0 else { throw config.error("repeats", "a non-negative integer") }
            if config["axis"] == nil { return x.reshaped([x.count]).repeated(repeats, axis: 0) }
            guard let axis = resolveAxis(try config.int("axis"), rank: x.rank) else { throw config.error("axis", "an axis within rank \(x.rank)") }
            return x.repeated(repeats, axis: axis)
        case "Tile":
            let repeats = config["repeats"]?.intValue.map { [$0] } ?? config["repeats"]?.arrayValue?.compactMap(\.intValue) ?? []
            guard repeats.allSatisfy({ $0 >= 0 }) else { throw config.error("repeats", "non-negative integers") }
            var tiled = x
            let rank = max(x.rank, repeats.count)
            tiled = tiled.reshaped([Int](repeating: 1, count: rank - x.rank) + x.shape)
            let full = [Int](repeating: 1, count: rank - repeats.count) + repeats
            for (axis, times) in full.enumerated() where times != 1 {
                let parts = [Tensor](repeating: tiled, count: times)
                tiled = times == 0 ? tiled.sliced(axis: axis, from: 0, to: 0) : try Concatenate.join(parts, axis: axis)
            }
            tiled.dtype = x.dtype
            return tiled
        case "Flip":
            var result = x
            for axis in try axes("axis", rank: x.rank) ?? Array(0..<x.rank) { result = result.flipped(axis: axis) }
            result.dtype = x.dtype
            return result
        case "Roll":
            let shifts = config["shift"]?.intValue.map { [$0] } ?? config["shift"]?.arrayValue?.compactMap(\.intValue) ?? []
            guard let axesList = try axes("axis", rank: x.rank) else {
                let flat = x.reshaped([x.count])
                let shift = shifts.reduce(0, +)
                return try roll(flat, shift: shift, axis: 0).reshaped(x.shape)
            }
            var result = x
            for (axis, shift) in zip(axesList, shifts.count == 1 ? [Int](repeating: shifts[0], count: axesList.count) : shifts) {
                result = try roll(result, shift: shift, axis: axis)
            }
            return result
        case "BroadcastTo":
            guard let shape = config["shape"]?.arrayValue?.compactMap(\.intValue), shape.allSatisfy({ $0 >= 0 }),
                  let result = Tensor(zeros: shape).broadcast(with: x, { $1 }), result.shape == shape else {
                throw config.error("shape", "a shape \(x.shape) broadcasts to")
            }
            return Tensor(shape: shape, scalars: result.scalars, dtype: x.dtype)
        case "Cumsum", "Cumprod":
            let flat = config["axis"] == nil
            let source = flat ? x.reshaped([x.count]) : x
            guard let axis = flat ? 0 : resolveAxis(try config.int("axis"), rank: x.rank) else { throw config.error("axis", "an axis within rank \(x.rank)") }
            let (outer, size) = (source.shape[..<axis].reduce(1, *), source.shape[axis])
            let inner = source.shape[(axis + 1)...].reduce(1, *)
            var values = source.scalars
            for block in 0..<outer {
                for position in 1..<max(size, 1) {
                    for offset in 0..<inner {
                        let index = (block * size + position) * inner + offset
                        let previous = index - inner
                        values[index] = className == "Cumsum" ? values[previous] + values[index] : values[previous] * values[index]
                    }
                }
            }
            let dtype: TensorDType = x.dtype == .bool || x.dtype == .int8 || x.dtype == .int16 ? .int32 : x.dtype
            return Tensor(shape: source.shape, scalars: values, dtype: dtype)
        case "Argsort":
            let flat = config["axis"] == nil
            let source = flat ? x.reshaped([x.count]) : x
            guard let axis = flat ? 0 : resolveAxis(try config.int("axis", default: -1), rank: source.rank) else {
                throw config.error("axis", "an axis within rank \(x.rank)")
            }
            let order = (0..<source.rank).filter { $0 != axis } + [axis]
            let moved = source.transposed(order)
            let width = max(source.shape[axis], 1)
            var out = moved.scalars
            for start in stride(from: 0, to: out.count, by: width) {
                // A stable ascending sort with NaN last (`jnp.argsort`).
                let row = Array(moved.scalars[start..<(start + width)])
                let sorted = row.indices.sorted { a, b in
                    let (left, right) = (row[a], row[b])
                    if left.isNaN || right.isNaN { return !left.isNaN && right.isNaN || (left.isNaN == right.isNaN && a < b) }
                    return left < right || (left == right && a < b)
                }
                for (position, index) in sorted.enumerated() { out[start + position] = Float(index) }
            }
            var inverse = [Int](repeating: 0, count: order.count)
            for (position, axis) in order.enumerated() { inverse[axis] = position }
            return Tensor(shape: moved.shape, scalars: out, dtype: .int32).transposed(inverse)
        default:
            throw unsupported()
        }
    }

    /// `jnp.roll` along one axis.
    private func roll(_ x: Tensor, shift: Int, axis: Int) throws(ReferenceError) -> Tensor {
        let size = x.shape[axis]
        guard size > 0 else { return x }
        let offset = ((shift % size) + size) % size
        guard offset != 0 else { return x }
        var result = try Concatenate.join([x.sliced(axis: axis, from: size - offset, to: size), x.sliced(axis: axis, from: 0, to: size - offset)], axis: axis)
        result.dtype = x.dtype
        return result
    }

    /// `ops.split(x, indices_or_sections, axis)`: equal sections (which must divide the axis) or the pieces
    /// between sorted indices.
    private func split(_ x: Tensor) throws(ReferenceError) -> [Tensor] {
        guard let axis = resolveAxis(try config.int("axis", default: 0), rank: x.rank) else { throw config.error("axis", "an axis within rank \(x.rank)") }
        let size = x.shape[axis]
        var bounds: [Int]
        if let sections = config["indices_or_sections"]?.intValue {
            guard sections > 0, size % sections == 0 else { throw config.error("indices_or_sections", "a number of sections dividing \(size)") }
            bounds = (1..<sections).map { $0 * size / sections }
        } else {
            bounds = config["indices_or_sections"]?.arrayValue?.compactMap(\.intValue) ?? []
        }
        bounds = bounds.map { min(max($0 < 0 ? $0 + size : $0, 0), size) }
        let edges = [0] + bounds + [size]
        return zip(edges, edges.dropFirst()).map { start, end in
            var piece = x.sliced(axis: axis, from: start, to: max(start, end))
            piece.dtype = x.dtype
            return piece
        }
    }

    /// `jnp.take_along_axis` (out-of-range indices give NaN, negative ones wrap).
    private func takeAlongAxis(_ x: Tensor, indices: Tensor) throws(ReferenceError) -> Tensor {
        guard let axis = resolveAxis(try config.int("axis", default: -1), rank: x.rank), indices.rank == x.rank,
              zip(indices.shape, x.shape).enumerated().allSatisfy({ $0.offset == axis || $0.element.0 == $0.element.1 }) else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "TakeAlongAxis of \(x.shape) by \(indices.shape) has no forward math in kconform", at: name)
        }
        let size = x.shape[axis]
        let inner = x.shape[(axis + 1)...].reduce(1, *)
        let outer = x.shape[..<axis].reduce(1, *)
        let count = indices.shape[axis]
        var values = [Float](repeating: 0, count: indices.count)
        for block in 0..<outer {
            for position in 0..<count {
                for offset in 0..<inner {
                    let slot = (block * count + position) * inner + offset
                    var index = Int(indices.scalars[slot])
                    if index < 0, index >= -size { index += size }
                    values[slot] = index >= 0 && index < size ? x.scalars[(block * size + index) * inner + offset] : .nan
                }
            }
        }
        return Tensor(shape: indices.shape, scalars: values, dtype: x.dtype)
    }

    /// `log_softmax`: `x - max - log(sum(exp(x - max)))` over `axis`.
    private func logSoftmax(_ x: Tensor, axis: Int) throws(ReferenceError) -> Tensor {
        let order = (0..<x.rank).filter { $0 != axis } + [axis]
        let moved = x.transposed(order)
        let width = max(x.shape[axis], 1)
        var out = moved.scalars
        for start in stride(from: 0, to: out.count, by: width) {
            let row = start..<(start + width)
            let peak = out[row].max() ?? 0
            var total: Float = 0
            for index in row { total += exp(out[index] - peak) }
            let logSum = log(total)
            for index in row { out[index] = out[index] - peak - logSum }
        }
        var inverse = [Int](repeating: 0, count: order.count)
        for (position, axis) in order.enumerated() { inverse[axis] = position }
        return Tensor(shape: moved.shape, scalars: out).transposed(inverse)
    }

    /// The reductions over `axis` (all axes when null) with `keepdims`; `Argmax`/`Argmin` over one axis
    /// (the flattened tensor when null), first occurrence, NaN counted as the extreme as JAX does.
    private func reduce(_ x: Tensor) throws(ReferenceError) -> Tensor {
        let isArg = className == "Argmax" || className == "Argmin"
        let reduced = try axes("axis", rank: x.rank) ?? Array(0..<x.rank)
        let keep = try config.bool("keepdims", default: false)
        let source = isArg && config["axis"] == nil ? x.reshaped([x.count]) : x
        let axes = isArg && config["axis"] == nil ? [0] : reduced
        let kept = (0..<source.rank).filter { !axes.contains($0) }
        let moved = source.transposed(kept + axes.sorted())
        let inner = max(axes.map { source.shape[$0] }.reduce(1, *), 1)
        let outer = axes.map { source.shape[$0] }.reduce(1, *) == 0 ? kept.map { source.shape[$0] }.reduce(1, *) : moved.count / inner
        var values = [Float](repeating: 0, count: outer)
        for row in 0..<outer {
            let slice = moved.scalars.count >= (row + 1) * inner ? Array(moved.scalars[(row * inner)..<((row + 1) * inner)]) : []
            switch className {
            case "Sum": values[row] = slice.reduce(0, +)
            case "Mean": values[row] = slice.reduce(0, +) / Float(slice.count)
            case "Max": values[row] = slice.contains { $0.isNaN } ? .nan : (slice.max() ?? -.infinity)
            case "Min": values[row] = slice.contains { $0.isNaN } ? .nan : (slice.min() ?? .infinity)
            case "Prod": values[row] = slice.reduce(1, *)
            case "Any": values[row] = slice.contains { $0 != 0 } ? 1 : 0
            case "All": values[row] = slice.allSatisfy { $0 != 0 } ? 1 : 0
            case "Var", "Std":
                let mean = slice.reduce(0, +) / Float(slice.count)
                let variance = slice.reduce(Float(0)) { $0 + ($1 - mean) * ($1 - mean) } / Float(slice.count)
                values[row] = className == "Var" ? variance : variance.squareRoot()
            case "Logsumexp":
                let peak = slice.max() ?? -.infinity
                let total = slice.reduce(Float(0)) { $0 + exp($1 - (peak.isFinite ? peak : 0)) }
                values[row] = log(total) + (peak.isFinite ? peak : 0)
            default:
                var best = 0
                for (index, value) in slice.enumerated() {
                    if value.isNaN { best = index; break }
                    if className == "Argmax" ? value > slice[best] : value < slice[best] { best = index }
                }
                values[row] = Float(best)
            }
        }
        var shape = kept.map { source.shape[$0] }
        if keep { shape = (0..<source.rank).map { axes.contains($0) ? 1 : source.shape[$0] } }
        let dtype: TensorDType
        switch className {
        case "Any", "All": dtype = .bool
        case "Argmax", "Argmin": dtype = .int32
        case "Mean", "Var", "Std", "Logsumexp": dtype = x.dtype.isFloat ? x.dtype : .float32
        case "Sum", "Prod": dtype = x.dtype == .bool || x.dtype == .int8 || x.dtype == .int16 ? .int32 : x.dtype
        default: dtype = x.dtype
        }
        return Tensor(shape: shape, scalars: values, dtype: dtype)
    }

    /// `ops.take(x, indices, axis)`: JAX's `take` (negative indices wrap, out of range gives NaN).
    private func take(_ x: Tensor, indices: Tensor) throws(ReferenceError) -> Tensor {
        let flat = config["axis"] == nil
        let source = flat ? x.reshaped([x.count]) : x
        guard let axis = flat ? 0 : resolveAxis(try config.int("axis"), rank: source.rank) else { throw config.error("axis", "an axis within rank \(x.rank)") }
        let size = source.shape[axis]
        let outer = source.shape[..<axis].reduce(1, *)
        let inner = source.shape[(axis + 1)...].reduce(1, *)
        var result: [Float] = []
        result.reserveCapacity(outer * indices.count * inner)
        for block in 0..<outer {
            for value in indices.scalars {
                var index = Int(value)
                if index < 0, index >= -size { index += size }
                if index < 0 || index >= size {
                    result += [Float](repeating: .nan, count: inner)
                } else {
                    let start = (block * size + index) * inner
                    result += source.scalars[start..<(start + inner)]
                }
            }
        }
        return Tensor(shape: Array(source.shape[..<axis]) + indices.shape + Array(source.shape[(axis + 1)...]), scalars: result, dtype: x.dtype)
    }

    /// `ops.matmul`: batched over leading axes that broadcast, a vector operand promoted as NumPy does.
    private func matmul(_ a: Tensor, _ b: Tensor) throws(ReferenceError) -> Tensor {
        guard a.rank >= 2, b.rank >= 2, a.shape[a.rank - 1] == b.shape[b.rank - 2] else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "Matmul of \(a.shape) and \(b.shape) has no forward math in kconform", at: name)
        }
        let (m, k, n) = (a.shape[a.rank - 2], a.shape[a.rank - 1], b.shape[b.rank - 1])
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        guard batchA == batchB else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "Matmul with broadcast batch axes \(a.shape), \(b.shape) has no forward math in kconform", at: name)
        }
        let batches = batchA.reduce(1, *)
        var result: [Float] = []
        result.reserveCapacity(batches * m * n)
        for batch in 0..<batches {
            result += LinearAlgebra.matmul(Array(a.scalars[(batch * m * k)..<((batch + 1) * m * k)]),
                                           Array(b.scalars[(batch * k * n)..<((batch + 1) * k * n)]), m: m, k: k, n: n)
        }
        return Tensor(shape: batchA + [m, n], scalars: result)
    }
}
