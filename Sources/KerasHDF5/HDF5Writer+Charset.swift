import CHDF5

extension HDF5Writer {
    /// The character set recorded in a string datatype.
    public enum Charset: String, Sendable {
        /// `H5T_CSET_ASCII`: what h5py records for Python `bytes` (legacy `model_config`, `layer_names`).
        case ascii
        /// `H5T_CSET_UTF8`: what h5py records for Python `str` (`name`, `dtype`, `keras_version`).
        case utf8

        var libraryValue: H5T_cset_t {
            switch self {
            case .ascii: H5T_CSET_ASCII
            case .utf8: H5T_CSET_UTF8
            }
        }
    }
}
