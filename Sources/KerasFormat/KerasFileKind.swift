/// What a path holds, decided by content first and extension second.
public enum KerasFileKind: String, Sendable, CaseIterable {
    /// A `.keras` zip archive (FORMAT.md 1).
    case kerasArchive = "keras-archive"
    /// An unzipped model folder with `config.json` (FORMAT.md 1.3).
    case modelFolder = "model-folder"
    /// A legacy HDF5 full model with a `model_config` attribute (FORMAT.md 7.1).
    case legacyModel = "legacy-h5-model"
    /// A legacy Keras 2 weights-only HDF5 file with `layer_names` at the root (FORMAT.md 7.2).
    case legacyWeights = "legacy-h5-weights"
    /// A Keras 3 `.weights.h5` file (FORMAT.md 4).
    case weightsH5 = "weights-h5"
    /// A sharded-weights index (`*.weights.json`) with its shards (FORMAT.md 5.1).
    case shardedWeights = "sharded-weights"
    /// Something kconform cannot classify.
    case unknown

    /// A short human name.
    public var displayName: String {
        switch self {
        case .kerasArchive: "Keras archive (.keras)"
        case .modelFolder: "unzipped model folder"
        case .legacyModel: "legacy HDF5 full model (.h5)"
        case .legacyWeights: "legacy HDF5 weights (.h5)"
        case .weightsH5: "Keras weights (.weights.h5)"
        case .shardedWeights: "sharded weights (.weights.json + shards)"
        case .unknown: "unknown"
        }
    }
}
