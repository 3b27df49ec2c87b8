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
    /// A legacy `.h5` full model as tf-keras 2 writes it (`--flavor keras2`). A model tf-keras cannot
    /// hold is refused with KC-REF-012 (``RoundTripProperty/isKeras2Refusal(_:)``), which is not a violation.
    case keras2H5 = "keras2.h5"

    /// The format's name in reports: `.keras`, `.keras (in memory)`, `.h5`, `.h5 (Keras 2)`, `.weights.h5`.
    public var label: String {
        switch self {
        case .kerasInMemory: ".keras (in memory)"
        case .keras2H5: ".h5 (Keras 2)"
        default: fileSuffix
        }
    }

    /// The file name suffix of the format.
    public var fileSuffix: String {
        switch self {
        case .keras, .kerasInMemory: ".keras"
        case .legacyH5: ".h5"
        case .keras2H5: ".keras2.h5"
        case .weightsH5: ".weights.h5"
        }
    }
}
