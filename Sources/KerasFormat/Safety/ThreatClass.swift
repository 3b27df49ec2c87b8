/// The threat classes of docs/THREATS.md, by which every rule is filed.
///
/// `A` classes are code and calls named by a config, `B` are HDF5 tricks, `C` are zip container tricks;
/// `structural` rules guard conformance and budgets without answering one published attack class.
public enum ThreatClass: String, Sendable, CaseIterable, Comparable {
    /// Bytecode lambda (`__lambda__`, Keras 2 `function_type: "lambda"`).
    case a1 = "A1"
    /// A lambda nested anywhere: sub-models, wrappers, any field of any layer.
    case a2 = "A2"
    /// A lambda inside a legacy `.h5` `model_config`.
    case a3 = "A3"
    /// A module, class or function outside Keras, or a foreign `registered_name`.
    case a4 = "A4"
    /// An exported Keras function that is not modelling math (downloads, settings, nested loads).
    case a5 = "A5"
    /// A layer that reads a file named by the config (lookup vocabularies).
    case a6 = "A6"
    /// A layer that loads another model (TFSMLayer, TorchModuleWrapper).
    case a7 = "A7"
    /// A layer of another framework that runs its ops (tf.keras `TFOpLambda`).
    case a8 = "A8"
    /// HDF5 external link.
    case b1 = "B1"
    /// HDF5 soft link.
    case b2 = "B2"
    /// HDF5 external raw storage.
    case b3 = "B3"
    /// HDF5 virtual dataset.
    case b4 = "B4"
    /// A dataset declaring far more than it stores.
    case b5 = "B5"
    /// HDF5 cycles, aliasing and amplification.
    case b6 = "B6"
    /// Malformed HDF5 structures that a native parser may mishandle.
    case b7 = "B7"
    /// Zip bomb: one member expanding far beyond its stored size.
    case c1 = "C1"
    /// Many members, or a total expansion beyond budget.
    case c2 = "C2"
    /// Path traversal and symbolic links in member names.
    case c3 = "C3"
    /// Ambiguity: duplicate names, disagreeing headers, overlaps, data before or after the archive.
    case c4 = "C4"
    /// npz members with pickled object arrays or huge declared shapes.
    case c5 = "C5"
    /// Unzipped model folders.
    case c6 = "C6"
    /// Conformance and budgets outside the published classes.
    case structural

    public static func < (lhs: ThreatClass, rhs: ThreatClass) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
