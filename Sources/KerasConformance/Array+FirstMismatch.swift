extension Array {
    /// The first index where `self` and `other` differ by `same`, the shorter count when one is a prefix of
    /// the other, nil when they are equal.
    func firstMismatch(with other: [Element], by same: (Element, Element) -> Bool) -> Int? {
        for index in 0..<Swift.min(count, other.count) where !same(self[index], other[index]) { return index }
        return count == other.count ? nil : Swift.min(count, other.count)
    }
}

extension Array where Element: Equatable {
    /// The first index where `self` and `other` differ, nil when they are equal.
    func firstMismatch(with other: [Element]) -> Int? { firstMismatch(with: other, by: ==) }
}
