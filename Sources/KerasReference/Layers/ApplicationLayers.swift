import KerasFormat

/// `CustomScaleLayer` (applications/inception_resnet_v2.py): `inputs[0] + inputs[1] * scale`.
final class CustomScaleLayer: BaseLayer, @unchecked Sendable {
    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        guard inputs.count == 2, inputs[0].shape == inputs[1].shape else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "CustomScaleLayer takes two tensors of one shape, got \(inputs.map(\.shape))", at: name)
        }
        let scale = try config.float("scale", default: 1)
        return [precision.round(Tensor(shape: inputs[0].shape, scalars: zip(inputs[0].scalars, inputs[1].scalars).map { $0 + $1 * scale }))]
    }
}

/// `LayerScale` (applications/convnext.py): `x * gamma`; variable `[gamma]` of `(projection_dim,)`.
final class LayerScale: BaseLayer, @unchecked Sendable {
    private var gamma: Variable?

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        gamma = try addVariable("gamma", [try config.int("projection_dim")])
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        guard let gamma, let result = x.broadcast(with: gamma.tensor, *), result.shape == x.shape else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "LayerScale gamma does not broadcast to \(x.shape)", at: name)
        }
        return [precision.round(result)]
    }
}
