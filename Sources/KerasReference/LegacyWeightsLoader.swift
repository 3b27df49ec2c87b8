import KerasBytes
import KerasFormat
import KerasHDF5

/// Legacy `.h5` weight loading by topology (LH5:332-424): the model's layers that have weights are paired
/// in order with the saved layers whose `weight_names` is not empty, and each layer's variables take the
/// saved values in `weight_names` order.
enum LegacyWeightsLoader {
    /// Loads `tree` into `model`. With `skipMismatch` (`load_weights(skip_mismatch=True)`, LH5:427-470) a
    /// weight whose shape differs keeps its value and gets Keras's warning (see ``pythonTuple(_:)``); layer and
    /// weight counts must match either way, as Keras raises for those even when skipping. Returns the warnings.
    @discardableResult
    static func load(_ model: any ModelLayer, tree: WeightsTree, skipMismatch: Bool = false) throws(ReferenceError) -> [String] {
        let layers = model.layers.filter { !allVariables($0).isEmpty }
        let saved = tree.objects.filter { !$0.variables.isEmpty }
        guard layers.count == saved.count else {
            throw ReferenceError(ReferenceError.Code.variableCountMismatch,
                                 "Layer count mismatch when loading weights from file. Model expected \(layers.count) layers, found \(saved.count) saved layers.")
        }
        var warnings: [String] = []
        for (index, (layer, object)) in zip(layers, saved).enumerated() {
            let variables = allVariables(layer)
            guard variables.count == object.variables.count else {
                throw ReferenceError(ReferenceError.Code.variableCountMismatch,
                                     "Weight count mismatch for layer #\(index) (named \(layer.name) in the current model, \(object.path) in the save file). Layer expects \(variables.count) weight(s). Received \(object.variables.count) saved weight(s)",
                                     at: object.path)
            }
            for (variable, stored) in zip(variables, object.variables) {
                if skipMismatch, variable.shape != stored.shape {
                    // `name` is `layer #k (named X)` with no space after it, as Keras writes it.
                    warnings.append("Skipping loading weights for layer #\(index) (named \(layer.name))due to mismatch in shape for weight \(model.name)/\(layer.name)/\(variable.name). Weight expects shape \(pythonTuple(variable.shape)). Received saved weight with shape \(pythonTuple(stored.shape))")
                    continue
                }
                let data: ByteView
                do throws(HDF5Error) { data = try tree.sources[stored.sourceIndex].file.data(of: stored.dataset) } catch {
                    throw ReferenceError(ReferenceError.Code.loadFailed, "\(error.code.ruleID): \(error.reason)", at: stored.hdf5Path)
                }
                try variable.assign(bytes: data, dtype: stored.dtype, shape: stored.shape)
            }
        }
        return warnings
    }

    /// `layer.weights`: trainable then non-trainable, each over the layer (its variables in creation order)
    /// and its sublayers in tracking order.
    static func allVariables(_ layer: any Layer) -> [Variable] {
        var all: [Variable] = []
        func collect(_ layer: any Layer) {
            all += layer.variablesInCreationOrder
            if let model = layer as? any ModelLayer { model.layers.forEach(collect) }
            layer.trackedChildren.forEach(collect)
        }
        collect(layer)
        return all.filter(\.trainable) + all.filter { !$0.trainable }
    }
}
