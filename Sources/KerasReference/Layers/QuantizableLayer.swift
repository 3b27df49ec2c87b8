/// A layer Keras can quantize (`Dense`, `EinsumDense`): its quantized kernel, once built with a quantized
/// dtype policy.
protocol QuantizableLayer: Layer {
    /// The kernel in its storage mode; nil when the layer is not quantized or not built.
    var quantizedKernel: QuantizedKernel? { get }
    /// The bias, when the layer has one.
    var biasVariable: Variable? { get }
}

extension QuantizableLayer {
    /// ``QuantizedKernel/creationOrder`` then the bias; nil when not quantized.
    var quantizedCreationOrder: [Variable]? {
        guard let quantizedKernel else { return nil }
        return quantizedKernel.creationOrder + [biasVariable].compactMap { $0 }
    }
}
