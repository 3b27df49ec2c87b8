import KerasFormat
import KerasReference

/// A Swift custom layer standing for a Keras class `my_pkg>Scale`: `y = x * scale + offset`, with one
/// variable `scale` of the input's last dimension; `offset` lets tests tell factories apart.
final class ScaleLayer: CustomLayer, @unchecked Sendable {
    var offset: Float = 0

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        guard let last = shapes.first?.last, let width = last else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "Scale needs a known last dimension", at: name)
        }
        addVariable("scale", shape: [width])
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        guard let x = inputs.first, let scale = variables.first else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "Scale takes one input", at: name)
        }
        let width = scale.values.count
        var output = x
        for index in output.scalars.indices { output.scalars[index] = x.scalars[index] * scale.values[index % width] + offset }
        return [output]
    }

    /// A factory building a Scale with `offset`.
    static func factory(offset: Float = 0) -> CustomLayerFactory {
        @Sendable func make(_ envelope: ObjectEnvelope) throws(ReferenceError) -> any Layer {
            let layer = try ScaleLayer(envelope: envelope)
            layer.offset = offset
            return layer
        }
        return make
    }
}
