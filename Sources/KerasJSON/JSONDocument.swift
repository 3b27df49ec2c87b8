/// A parsed document: the value and what the reader noticed without rejecting the input.
public struct JSONDocument: Sendable {
    /// The top-level value.
    public let value: JSONValue
    /// JSON pointers of keys that occur more than once in their object: each listed once per object,
    /// in the order the objects close (inner objects first), at most
    /// ``JSONLimits/maxReportedDuplicateKeys``. The value kept is the last one, at the position of
    /// the first, as Python's `dict` does.
    public let duplicateKeys: [String]
    /// How many key occurrences repeated an earlier key of the same object, listed or not.
    public let duplicateKeyCount: Int
    /// Whether the input started with a UTF-8 byte order mark, which Python's `json.loads(bytes)`
    /// skips (it decodes with `utf-8-sig`) and ``JSONWriter`` never writes.
    public let hasByteOrderMark: Bool

    /// Creates a document.
    public init(
        value: JSONValue, duplicateKeys: [String] = [], duplicateKeyCount: Int = 0, hasByteOrderMark: Bool = false
    ) {
        self.value = value
        self.duplicateKeys = duplicateKeys
        self.duplicateKeyCount = duplicateKeyCount
        self.hasByteOrderMark = hasByteOrderMark
    }
}
