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

    /// The positional arguments of the call being replayed (outside a Functional, of every recorded call,
    /// which must agree): nil for a tensor, the number for a constant.
    private func arguments() throws(ReferenceError) -> [Float?] {
        let nodes = CallContext.node.map { [$0] } ?? envelope.object["inbound_nodes"]?.arrayValue ?? []
        guard let first = nodes.first else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "\(className) operation without a recorded call", at: name)
        }
        if let kwargs = first["kwargs"]?.objectValue, !kwargs.isEmpty {
            throw ReferenceError(ReferenceError.Code.notImplemented, "\(className) operation with keyword arguments \(kwargs.keys)", at: name)
        }
        var result: [Float?] = []
        for argument in first["args"]?.arrayValue ?? [] {
            if argument["class_name"]?.stringValue == "__keras_tensor__" {
                result.append(nil)
            } else if let number = argument.doubleValue ?? argument.intValue.map(Double.init) {
                result.append(Float(number))
            } else {
                throw ReferenceError(ReferenceError.Code.notImplemented, "\(className) operation argument \(argument) is neither a tensor nor a number", at: name)
            }
        }
        let constants = nodes.map { node in (node["args"]?.arrayValue ?? []).map { $0["class_name"] == nil ? $0 : JSONValue.null } }
        guard constants.allSatisfy({ $0 == constants[0] }) else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "calls of \(className) pass different constants", at: name)
        }
        return result
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        var tensors = inputs.makeIterator()
        var operands: [Tensor] = []
        for argument in try arguments() {
            if let constant = argument {
                operands.append(Tensor(shape: [], scalars: [constant]))
            } else if let tensor = tensors.next() {
                operands.append(tensor)
            } else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) got \(inputs.count) tensors for its recorded arguments", at: name)
            }
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
