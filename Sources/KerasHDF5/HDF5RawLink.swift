/// A link as decoded from a symbol-table entry or a link message, before its target is expanded.
struct HDF5RawLink {
    /// What the link points at.
    enum Target {
        case hard(UInt64)
        case soft(String)
        case external(file: String, path: String)
    }

    let name: [UInt8]
    let target: Target
    let creationOrder: Int64?
}
