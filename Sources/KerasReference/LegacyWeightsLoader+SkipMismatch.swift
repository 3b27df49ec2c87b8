import KerasBytes
import KerasFormat
import KerasHDF5

extension LegacyWeightsLoader {
    /// With `skip_mismatch=True` (`load_weights_from_hdf5_group`, LH5:332-424, and `_set_weights`,
    /// LH5:427-470) a weight whose shape differs is left as it was, with Keras's warning:
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
    /// `<model>/<layer>/<variable>`.
    ///
    /// A shape as Python prints a tuple: `(4, 6)`, `(3,)`, `()`.
    static func pythonTuple(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}
