/// The formats a generated model is saved in by the round-trip properties.
public enum SaveFormat: String, Sendable, CaseIterable, Codable {
    /// A `.keras` archive written to disk by `save(to:)` (the atomic writer).
    case keras
    /// A `.keras` archive assembled in memory by `archiveBytes(date:)` and read from memory.
    case kerasInMemory = "keras-memory"
    /// A legacy `.h5` full model, as Keras 3 writes it.
    case legacyH5 = "h5"
    /// `.weights.h5` only, loaded into a fresh model built from the same config.
    case weightsH5 = "weights.h5"

    /// The format's name in reports: `.keras`, `.keras (in memory)`, `.h5`, `.weights.h5`.
    public var label: String { self == .kerasInMemory ? ".keras (in memory)" : fileSuffix }

    /// The file name suffix of the format.
    public var fileSuffix: String {
        switch self {
        case .keras, .kerasInMemory: ".keras"
        case .legacyH5: ".h5"
        case .weightsH5: ".weights.h5"
        }
    }
}
