import KerasZip

/// The bytes one stage of a check may inflate from deflated members (``ReadLimits/maxInflatedBytes``).
struct InflateBudget {
    let limit: Int
    private(set) var spent = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Whether `entry` may be inflated; spends its declared size when it may. Stored members are free.
    mutating func admit(_ entry: ZipEntry) -> Bool {
        guard entry.method != ZipEntry.methodStored else { return true }
        guard entry.uncompressedSize <= limit - spent else { return false }
        spent += entry.uncompressedSize
        return true
    }

    /// The finding for a member that does not fit.
    func refusal(_ entry: ZipEntry, at location: Location) -> Finding {
        Finding(.inflateBudget, "deflated member declares \(ByteCount(entry.uncompressedSize)); \(ByteCount(spent)) of the "
            + "\(ByteCount(limit)) budget is spent, so it is not inflated and not checked", at: location)
    }
}
