/// A string compared by its Unicode scalars, as Python compares `str`.
///
/// Swift's `String` equality and hashing follow canonical equivalence: "é" (U+00E9) equals
/// "e" + U+0301. Python and JSON keep them apart, so object keys and string values are compared
/// through this type; otherwise two distinct keys would merge and a round trip would lose one.
/// Ordering is by UTF-8 bytes, which is code point order, Python's `sorted()` order for `str`.
struct ExactString: Hashable, Sendable {
    let string: String

    init(_ string: String) {
        self.string = string
    }

    static func == (lhs: ExactString, rhs: ExactString) -> Bool {
        equal(lhs.string, rhs.string)
    }

    func hash(into hasher: inout Hasher) {
        ExactString.hash(string, into: &hasher)
    }

    /// Whether `a` and `b` hold the same scalars.
    static func equal(_ a: String, _ b: String) -> Bool {
        let left = a.utf8
        let right = b.utf8
        guard left.count == right.count else { return false }
        let fast = left.withContiguousStorageIfAvailable { l in
            right.withContiguousStorageIfAvailable { r in l.elementsEqual(r) }
        }
        if let fast, let result = fast { return result }
        return left.elementsEqual(right)
    }

    /// Feeds the scalars of `string` to `hasher`, consistently with ``equal(_:_:)``.
    static func hash(_ string: String, into hasher: inout Hasher) {
        let utf8 = string.utf8
        hasher.combine(utf8.count)
        let done: Void? = utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil {
            Array(utf8).withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// Whether `a` sorts before `b` in code point order.
    static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
