extension JSONWriter {
    /// The `json.dumps` arguments kconform needs; the defaults are Python's defaults.
    public struct Options: Sendable, Hashable {
        /// `indent=N`: members on their own lines indented N spaces per level, separators
        /// `(',', ': ')`; nil (the default) writes one line with `(', ', ': ')`. Negative counts
        /// behave as 0 (newlines, no indentation), as in Python.
        public var indent: Int?
        /// `sort_keys=True`: members in code point order of their keys.
        public var sortKeys: Bool
        /// `ensure_ascii=True` (the default): every character outside printable ASCII as `\uXXXX`,
        /// characters above U+FFFF as surrogate pairs; false writes them as UTF-8.
        public var ensureASCII: Bool

        /// Options with Python's defaults unless given.
        public init(indent: Int? = nil, sortKeys: Bool = false, ensureASCII: Bool = true) {
            self.indent = indent
            self.sortKeys = sortKeys
            self.ensureASCII = ensureASCII
        }
    }
}
