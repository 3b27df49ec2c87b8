/// A decoded link info message (format spec IV.A.2.c) or attribute info message (IV.A.2.v).
struct HDF5LinkInfo {
    /// Creation order is tracked.
    let tracksCreationOrder: Bool
    /// The fractal heap of dense storage; nil for compact storage.
    let heapAddress: UInt64?
    /// The version 2 B-tree indexing names.
    let nameIndexAddress: UInt64?
}
