import KerasBytes

/// A parsed global heap collection: its objects by index.
struct HDF5GlobalHeapCollection {
    /// Object data (without padding) by heap object index.
    let objects: [UInt16: ByteView]
}
