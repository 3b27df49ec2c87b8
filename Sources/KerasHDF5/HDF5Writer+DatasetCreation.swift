extension HDF5Writer {
    /// Which h5py idiom created a dataset, which decides the order of allocations in the file.
    public enum DatasetCreation: String, Sendable {
        /// `group.create_dataset(name, data=array)`: the dataset is created under its name, then its
        /// data written. Keras uses it for bfloat16 variables and in legacy `.h5` files.
        case createDataset
        /// `group[name] = array`: an anonymous dataset is created and written, then linked under its
        /// name. Keras 3's weights store uses it for every variable that is not bfloat16.
        case assignment
    }
}
