/// A parsed object header: its version, flags and messages from all chunks in file order.
struct HDF5ObjectHeader {
    /// The object header address.
    let address: UInt64
    /// 1 or 2.
    let version: Int
    /// Version 2 flag: attribute creation order is tracked.
    let tracksAttributeCreationOrder: Bool
    /// All messages except NIL and continuation messages.
    let messages: [HDF5Message]

    /// The messages of `type`.
    func messages(_ type: UInt16) -> [HDF5Message] {
        messages.filter { $0.type == type }
    }

    /// Whether a message of `type` is present.
    func has(_ type: UInt16) -> Bool {
        messages.contains { $0.type == type }
    }
}
