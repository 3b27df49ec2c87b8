extension Layer {
    /// The layer's variables in the order Keras creates them, which orders `layer.trainable_variables` and
    /// so an optimizer's slots: ``Layer/variables`` (the save order) except for quantized `Dense` and
    /// `EinsumDense`, whose `quantized_build` creates the mode's variables before the bias (and, in float8,
    /// before the kernel).
    public var variablesInCreationOrder: [Variable] {
        (self as? any QuantizableLayer)?.quantizedCreationOrder ?? variables
    }

    /// Whether `variable` is one of a float8 layer's scales and amax histories, which Keras creates trainable
    /// with `overwrite_with_gradient=True`: its optimizers give them no slots (`add_optimizer_variables`,
    /// keras/src/optimizers/base_optimizer.py 380-398, skips them).
    public func overwritesWithGradient(_ variable: Variable) -> Bool {
        guard let kernel = (self as? any QuantizableLayer)?.quantizedKernel, case .float8(let weights, _, _) = kernel.storage else { return false }
        return variable !== weights && kernel.creationOrder.contains { $0 === variable }
    }
}
