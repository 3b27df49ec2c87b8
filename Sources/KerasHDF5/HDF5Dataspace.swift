import KerasBytes

/// A decoded dataspace message.
struct HDF5Dataspace {
    let kind: HDF5DataspaceKind
    let shape: [Int]
    /// nil entries are unlimited.
    let maxShape: [Int?]
    /// 1 for scalar, 0 for null, the product of ``shape`` otherwise (checked when decoded).
    let elementCount: Int
}
