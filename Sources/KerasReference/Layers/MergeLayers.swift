import KerasFormat

/// The elementwise merge layers: `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`
/// (inputs of equal shape; Keras also broadcasts, which is not implemented here).
final class ElementwiseMerge: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        guard let first = inputs.first, inputs.allSatisfy({ $0.shape == first.shape }) else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "\(className) of inputs with shapes \(inputs.map(\.shape)) (broadcasting) is not implemented", at: name)
        }
        if className == "Subtract" {
            guard inputs.count == 2 else { throw ReferenceError(ReferenceError.Code.inputMismatch, "Subtract takes two inputs", at: name) }
            return [Tensor(shape: first.shape, scalars: zip(inputs[0].scalars, inputs[1].scalars).map { $0 - $1 })]
        }
        var result = first.scalars
        for other in inputs.dropFirst() {
            for index in result.indices {
                let value = other.scalars[index]
                switch className {
                case "Add", "Average": result[index] += value
                case "Multiply": result[index] *= value
                case "Maximum": result[index] = max(result[index], value)
                default: result[index] = min(result[index], value)
                }
            }
        }
        if className == "Average" { result = result.map { $0 / Float(inputs.count) } }
        return [Tensor(shape: first.shape, scalars: result)]
    }
}

/// `Concatenate` along `axis` (default -1).
final class Concatenate: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        guard let first = inputs.first else { throw ReferenceError(ReferenceError.Code.inputMismatch, "Concatenate needs inputs", at: name) }
        let rank = first.rank
        var axis = try config.int("axis", default: -1)
        if axis < 0 { axis += rank }
        guard axis >= 0, axis < rank, inputs.allSatisfy({ $0.rank == rank }) else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "cannot concatenate \(inputs.map(\.shape)) on axis \(axis)", at: name)
        }
        for input in inputs where input.shape.enumerated().contains(where: { $0.offset != axis && $0.element != first.shape[$0.offset] }) {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "cannot concatenate \(first.shape) and \(input.shape) on axis \(axis)", at: name)
        }
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        var shape = first.shape
        shape[axis] = inputs.reduce(0) { $0 + $1.shape[axis] }
        var result: [Float] = []
        result.reserveCapacity(shape.reduce(1, *))
        for block in 0..<outer {
            for input in inputs {
                let length = input.shape[axis] * inner
                result += input.scalars[(block * length)..<((block + 1) * length)]
            }
        }
        return [Tensor(shape: shape, scalars: result)]
    }
}
