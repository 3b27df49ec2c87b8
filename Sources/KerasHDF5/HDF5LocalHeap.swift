import KerasBytes

/// A local heap's data segment (format spec III.D), where symbol tables keep link names.
struct HDF5LocalHeap {
    /// The local heap header address.
    let address: UInt64
    /// The data segment.
    let data: ByteView
    /// Positions of the NUL bytes in the data segment, ascending: every string lookup is a binary
    /// search instead of a scan, so many keys pointing at one long string cost nothing extra.
    private let terminators: [Int]

    init(address: UInt64, data: ByteView) {
        self.address = address
        self.data = data
        self.terminators = data.withUnsafeBytes { raw in raw.indices.filter { raw[$0] == 0 } }
    }

    /// The NUL-terminated string at `offset` in the data segment, without its NUL.
    func string(at offset: UInt64, maxLength: Int) throws(HDF5Error) -> [UInt8] {
        guard offset < UInt64(data.count) else {
            throw HDF5Error(HDF5Error.Code.localHeapInvalid,
                "offset \(offset) lies outside the \(data.count)-byte data segment", address: address)
        }
        let start = Int(offset)
        var low = 0
        var high = terminators.count
        while low < high {
            let middle = (low + high) / 2
            if terminators[middle] < start { low = middle + 1 } else { high = middle }
        }
        guard low < terminators.count else {
            throw HDF5Error(HDF5Error.Code.localHeapInvalid,
                "the string at offset \(offset) is not NUL-terminated inside the data segment", address: address)
        }
        let end = terminators[low]
        guard end - start <= maxLength else {
            throw HDF5Error(HDF5Error.Code.stringLengthLimitExceeded,
                "a local heap string at offset \(offset) is longer than \(maxLength) bytes", address: address)
        }
        return data.slice(offset: start, length: end - start)!.bytes
    }
}
