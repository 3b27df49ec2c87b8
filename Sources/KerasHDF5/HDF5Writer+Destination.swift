extension HDF5Writer {
    /// Where h5py would have written the file, which decides how libhdf5 places objects in it.
    ///
    /// h5py on a path uses libhdf5's default (sec2) driver, which aggregates metadata and small raw
    /// data in 2 KiB blocks. h5py on a Python file object uses its own driver, which declares no
    /// aggregation, so objects are packed one after another. Keras writes the standalone
    /// `.weights.h5` and legacy `.h5` on a path and `model.weights.h5` inside a `.keras` archive on a
    /// file object; with the matching destination and Keras's order of calls the writer reproduces
    /// those files byte for byte.
    public enum Destination: String, Sendable {
        /// `h5py.File(path, "w")`: aggregated allocation (standalone `.weights.h5`, legacy `.h5`).
        case path
        /// `h5py.File(fileobj, "w")`: unaggregated allocation (`model.weights.h5` inside `.keras`).
        case fileObject
    }
}
