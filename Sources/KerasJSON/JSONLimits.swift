/// Every budget of the JSON reader, in one value. Each field documents its default and why.
///
/// A document that runs out of a budget is rejected with a `limitExceeded` code; none of the
/// budgets changes what an accepted document means.
public struct JSONLimits: Sendable, Hashable {
    /// The largest input accepted, in bytes. Default 64 MiB.
    ///
    /// The largest Keras `config.json` files seen are a few MB (big functional graphs, vocabularies
    /// kept in the config); 64 MiB leaves more than ten times that while bounding the time and the
    /// memory of one parse (a parsed tree costs at most a small multiple of the input, see ``maxValues``).
    public var maxInputBytes: Int

    /// The deepest nesting of arrays and objects accepted. Default 512.
    ///
    /// CPython 3.11's `json.loads` recurses once per level and stops at the interpreter recursion
    /// limit (1000): measured from a top-level call it parses 994 levels and raises RecursionError
    /// at 995, and fewer when called from deeper inside a program such as `keras.saving.load_model`.
    /// Keras configs nest fewer than 30 levels. 512 keeps far above that, below every depth Python
    /// can reach, and keeps the recursive writer and the recursive release of a parsed tree cheap.
    /// The parser itself does not recurse; raising this far (to tens of thousands) lets it build
    /// trees whose writing and release may exhaust a thread's stack.
    public var maxDepth: Int

    /// The longest string accepted, counted in input bytes between the quotes. Default 16 MiB.
    ///
    /// Python has no such limit. The longest legitimate strings in Keras configs are base64
    /// Lambda bytecode and inline vocabularies, well under a megabyte; a single multi-megabyte
    /// string is a payload, not a setting.
    public var maxStringBytes: Int

    /// The most digits an integer may have (the sign not counted). Default 4300.
    ///
    /// CPython 3.11 refuses to convert longer decimal strings to `int`
    /// (`sys.int_info.default_max_str_digits`), so `json.loads` raises ValueError for them; the
    /// default mirrors that. Floats have no digit limit, as in Python.
    public var maxIntegerDigits: Int

    /// The most values and object keys in one document (each scalar, container and key counts one).
    /// Default 4,194,304 (2^22).
    ///
    /// A parsed value costs about 40 bytes plus its payload, so the default bounds a tree's
    /// skeleton to about 170 MB even for inputs like `[0,0,0,…]` that spend two bytes per value.
    /// A 5 MB Keras config holds a few hundred thousand values and keys.
    public var maxValues: Int

    /// The most duplicate-key pointers a ``JSONDocument`` lists; further duplicates are only counted.
    /// Default 100: the list is a report, not data.
    public var maxReportedDuplicateKeys: Int

    /// The longest JSON pointer kept in an error or a duplicate-key report, in bytes; longer
    /// pointers are cut and end with "…". Default 4096: keys can be megabytes long and a report
    /// must stay small.
    public var maxPointerBytes: Int

    /// Limits with the documented defaults, each overridable.
    public init(
        maxInputBytes: Int = 64 << 20,
        maxDepth: Int = 512,
        maxStringBytes: Int = 16 << 20,
        maxIntegerDigits: Int = 4300,
        maxValues: Int = 1 << 22,
        maxReportedDuplicateKeys: Int = 100,
        maxPointerBytes: Int = 4096
    ) {
        self.maxInputBytes = maxInputBytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxIntegerDigits = maxIntegerDigits
        self.maxValues = maxValues
        self.maxReportedDuplicateKeys = maxReportedDuplicateKeys
        self.maxPointerBytes = maxPointerBytes
    }
}
