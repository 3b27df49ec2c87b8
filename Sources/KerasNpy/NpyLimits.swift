/// Budgets of the `.npy` reader.
public struct NpyLimits: Sendable {
    /// Longest header read, in bytes. Default 64 KiB: NumPy writes headers of 128 bytes or a little more,
    /// and refuses to read headers above 10,000 bytes without `allow_pickle`-style opt-in.
    public var maxHeaderBytes = 64 * 1024
    /// Largest array data declared, in bytes. Default 4 GiB, Keras's own bound for npz members.
    public var maxDataBytes = 1 << 32
    /// Most dimensions. Default 64, NumPy's `NPY_MAXDIMS`.
    public var maxRank = 64

    /// The defaults.
    public init() {}
}
