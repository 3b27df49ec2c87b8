/// The layer classes Keras 3.15.1 marks built in their constructor: they create no variables and Keras
/// writes no `build_config` for them, so their missing `build_config` is no reason for a dry run (which, on
/// ResNet50, costs a whole forward pass at load). Read off Keras by `scripts/conformance/make_templates.py`
/// (group `built_at_init`); a test keeps this list equal to the templates'.
public enum BuiltAtInit {
    /// The class names.
    public static let classNames: Set<String> = [
        "Activation", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
        "Reshape", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
        "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
        "GlobalAveragePooling3D", "UnitNormalization", "ReLU", "LeakyReLU", "ELU", "Softmax",
    ]
}
