/// Record capacities and count-field widths of a version 2 B-tree (`H5B2__hdr_init`).
struct HDF5V2TreeShape {
    let nodeSize: Int
    let recordSize: Int
    /// Maximum records per node, by depth (0 = leaf).
    let maxRecords: [Int]
    /// Bytes of a child's record count in an internal node.
    let recordCountSize: Int
    /// Bytes of a child's total record count, by the child's depth.
    let totalCountSize: [Int]

    init(nodeSize: Int, recordSize: Int, depth: Int, offsetSize: Int) {
        self.nodeSize = nodeSize
        self.recordSize = recordSize
        let prefix = 10
        var maxRecords = [(nodeSize - prefix) / recordSize]
        let recordCountSize = HDF5Decoder.limitEncodedSize(UInt64(maxRecords[0]))
        var cumulative: [UInt64] = [UInt64(maxRecords[0])]
        var totalCountSize = [0]
        if depth > 0 {
            for level in 1...depth {
                let pointer = offsetSize + recordCountSize + (level > 1 ? totalCountSize[level - 1] : 0)
                let count = max(0, (nodeSize - (prefix + pointer)) / (recordSize + pointer))
                maxRecords.append(count)
                let (product, overflow) = (UInt64(count) + 1).multipliedReportingOverflow(by: cumulative[level - 1])
                let (sum, overflow2) = product.addingReportingOverflow(UInt64(count))
                let total = overflow || overflow2 ? UInt64.max : sum
                cumulative.append(total)
                totalCountSize.append(HDF5Decoder.limitEncodedSize(total))
            }
        }
        self.maxRecords = maxRecords
        self.recordCountSize = recordCountSize
        self.totalCountSize = totalCountSize
    }
}
