/// One symbol-table entry as found in a symbol node.
struct HDF5SymbolEntry {
    let name: [UInt8]
    let objectAddress: UInt64?
    /// The soft-link value, for cache type 2.
    let softLinkValue: [UInt8]?
}
