import Foundation
import KerasFormat
import KerasJSON

/// A `keras.ops` operation recorded in a Functional graph (module `keras.src.ops.numpy` or
/// `keras.src.ops.nn`, e.g. `x * (1/6)` in MobileNetV3 saves an `Multiply` whose node arguments are a
/// tensor and a number). Its positional arguments come from the recorded node: tensors in the order the
/// Functional passes them, numbers as constants (Python floats are weakly typed, so float32 here).
/// Binary arithmetic broadcasts as NumPy does.
final class OperationLayer: BaseLayer, @unchecked Sendable {
    /// Operations of two arguments.
    static let binary: [String: @Sendable (Float, Float) -> Float] = [
        "Add": { $0 + $1 }, "Subtract": { $0 - $1 }, "Multiply": { $0 * $1 }, "Divide": { $0 / $1 },
        "TrueDivide": { $0 / $1 }, "Maximum": { max($0, $1) }, "Minimum": { min($0, $1) }, "Power": { pow($0, $1) },
    ]
    /// Operations of one tensor.
    static let unary: [String: @Sendable (Float) -> Float] = [
        "Negative": { -$0 }, "Abs": { abs($0) }, "Square": { $0 * $0 }, "Sqrt": { $0.squareRoot() }, "Exp": { exp($0) },
        "Log": { log($0) }, "Tanh": { tanh($0) }, "Sigmoid": { 1 / (1 + exp(-$0)) }, "Relu": { max($0, 0) },
        "Relu6": { min(max($0, 0), 6) },
    ]

    /// One positional argument of a recorded call.
    enum Argument {
        /// A tensor the Functional passes (`__keras_tensor__`).
        case tensor
        /// A number, a NumPy array (`__numpy__`) or a backend tensor (`__tensor__`): a float32 constant.
        case constant(Tensor)
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
        var result: [Argument] = []
        for (index, argument) in (first["args"]?.arrayValue ?? []).enumerated() {
            switch try deserializer.deserialize(argument, at: name + "/args/" + String(index)) {
            case .kerasTensor: result.append(.tensor)
            case .int(let number): result.append(.constant(Tensor(shape: [], scalars: [Float(number.doubleValue ?? .nan)])))
            case .float(let double): result.append(.constant(Tensor(shape: [], scalars: [Float(double)])))
            case .array(let array): result.append(.constant(array.float32Tensor))
            case let other: result.append(.value(other))
            }
        }
        let constants = nodes.map { node in (node["args"]?.arrayValue ?? []).map { $0["class_name"] == .string("__keras_tensor__") ? JSONValue.null : $0 } }
        guard constants.allSatisfy({ $0 == constants[0] }) else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "calls of \(className) pass different constants", at: name)
        }
        return result
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        var tensors = inputs.makeIterator()
        var operands: [Tensor] = []
        var others: [KerasValue] = []
        for argument in try arguments() {
            switch argument {
            case .constant(let constant): operands.append(constant)
            case .value(let value): others.append(value)
            case .tensor:
                guard let tensor = tensors.next() else {
                    throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) got \(inputs.count) tensors for its recorded arguments", at: name)
                }
                operands.append(tensor)
            }
        }
        if className == "GetItem", operands.count == 1, others.count == 1 {
            return [try IndexKey(others[0], at: name).apply(operands[0], at: name)]
        }
        guard others.isEmpty else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "\(className) operation with non-numeric arguments has no forward math in kconform", at: name)
        }
        if let function = Self.binary[className], operands.count == 2 {
            guard let result = operands[0].broadcast(with: operands[1], function) else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) operands \(operands.map(\.shape)) do not broadcast", at: name)
            }
            return [result]
        }
        if let function = Self.unary[className], operands.count == 1 { return [operands[0].map(function)] }
        throw ReferenceError(ReferenceError.Code.notImplemented, "operation \(className) with \(operands.count) arguments has no forward math in kconform", at: name)
    }
}
