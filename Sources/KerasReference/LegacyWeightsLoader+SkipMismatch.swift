import KerasBytes
import KerasFormat
import KerasHDF5

extension LegacyWeightsLoader {
    /// Topological loading with `skip_mismatch=True` (`load_weights_from_hdf5_group`, LH5:332-424, and
    /// `_set_weights`, LH5:427-470): layer and weight counts must still match (Keras raises for those
    /// even when skipping), but a weight whose shape differs is left as it was, with Keras's warning:
    ///
    ///     warnings.warn(
    ///         f"Skipping loading weights for {name}"
    ///         f"due to mismatch in shape for "
    ///         f"weight {symbolic_weights[i].path}. "
    ///         f"Weight expects shape {expected_shape}. "
    ///         "Received saved weight "
    ///         f"with shape {received_shape}",
    ///     )
    ///
    /// `name` is `layer #k (named X)` (no space follows it, as in Keras); the weight path is
    /// `<model>/<layer>/<variable>`. Returns the warnings in order.
    static func loadSkippingMismatches(_ model: any ModelLayer, tree: WeightsTree) throws(ReferenceError) -> [String] {
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
                guard variable.shape == stored.shape else {
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

    /// A shape as Python prints a tuple: `(4, 6)`, `(3,)`, `()`.
    static func pythonTuple(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}
