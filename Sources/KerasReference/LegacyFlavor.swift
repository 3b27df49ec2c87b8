/// Which Keras a legacy `.h5` is written as: both read it, but each writes its own dialect (FORMAT.md 7).
public enum LegacyFlavor: String, Sendable, CaseIterable {
    /// Keras 3's `legacy_h5_format` (`model.save("x.h5")` in Keras 3).
    case keras3
    /// tf-keras 2.x (`tf_keras.Model.save("x.h5")`): tf-keras configs, `layer/variable:0` weight names.
    case keras2
}
