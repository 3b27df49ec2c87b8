/// Checked integer arithmetic for values that come from a file.
///
/// Every function returns nil instead of trapping, so a reader can turn an overflow into an error
/// with a location. Use these for every offset, length and product of dimensions read from input.
public enum Checked {
    /// `a + b`, or nil on overflow.
    @inlinable
    public static func add(_ a: Int, _ b: Int) -> Int? {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : sum
    }

    /// `a - b`, or nil on overflow.
    @inlinable
    public static func subtract(_ a: Int, _ b: Int) -> Int? {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : difference
    }

    /// `a * b`, or nil on overflow.
    @inlinable
    public static func multiply(_ a: Int, _ b: Int) -> Int? {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : product
    }

    /// The product of `factors` (1 for none), or nil on overflow or a negative factor.
    @inlinable
    public static func product<S: Sequence>(_ factors: S) -> Int? where S.Element == Int {
        var result = 1
        for factor in factors {
            guard factor >= 0, let next = multiply(result, factor) else { return nil }
            result = next
        }
        return result
    }

    /// `value` as an `Int` when it is exactly representable.
    @inlinable
    public static func int<T: BinaryInteger>(_ value: T) -> Int? {
        Int(exactly: value)
    }

    /// Whether `offset ..< offset + length` lies inside `0 ..< bound`, with overflow counted as outside.
    @inlinable
    public static func rangeFits(offset: Int, length: Int, within bound: Int) -> Bool {
        guard offset >= 0, length >= 0, let end = add(offset, length) else { return false }
        return end <= bound
    }
}
