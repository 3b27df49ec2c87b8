import KerasBytes

/// Why `.npy` bytes were refused (NumPy format spec, `numpy.lib.format`).
public struct NpyError: ReaderError, Equatable {
    public let code: ErrorCode
    public let reason: String
    /// Byte offset in the `.npy` bytes, when known.
    public let offset: Int?

    /// An error of `code`.
    public init(_ code: ErrorCode, _ reason: String, offset: Int? = nil) {
        self.code = code
        self.reason = reason
        self.offset = offset
    }

    public var location: String { offset.map { "byte \($0)" } ?? "" }

    public static func == (lhs: NpyError, rhs: NpyError) -> Bool { lhs.code == rhs.code }

    /// Every code of the `.npy` reader, domain `NPY`.
    public enum Code {
        private static func code(_ number: Int, _ name: String, _ category: ErrorCategory, _ summary: String) -> ErrorCode {
            ErrorCode(domain: "NPY", number: number, name: name, category: category, summary: summary)
        }

        /// The bytes do not start with `\x93NUMPY`.
        public static let badMagic = code(1, "badMagic", .malformed, "An .npy file starts with \\x93NUMPY.")
        /// Format versions other than 1.0, 2.0 and 3.0.
        public static let unsupportedVersion = code(2, "unsupportedVersion", .unsupported, "NumPy defines format versions 1.0, 2.0 and 3.0 only.")
        /// The preamble or header runs past the end.
        public static let truncatedHeader = code(3, "truncatedHeader", .malformed, "The header length points past the end of the bytes.")
        /// The header is not the Python dict literal NumPy writes.
        public static let malformedHeader = code(4, "malformedHeader", .malformed, "The header must be a dict literal with descr, fortran_order and shape.")
        /// A dtype that kconform does not read (strings, structured, datetime...).
        public static let unsupportedDType = code(5, "unsupportedDType", .unsupported, "Only numeric and bool dtypes are read.")
        /// An object array: its data is a pickle and is never read.
        public static let objectArray = code(6, "objectArray", .policyRejected, "Object arrays hold pickles, which can run code when loaded; they are never read.")
        /// The data is shorter or longer than the shape and dtype declare.
        public static let dataSizeMismatch = code(7, "dataSizeMismatch", .malformed, "The data after the header must be exactly shape product times item size bytes.")
        /// The shape's product or byte size overflows, or a dimension is negative.
        public static let shapeOverflow = code(8, "shapeOverflow", .malformed, "Dimensions are non-negative and their product fits in memory arithmetic.")
        /// The header is longer than the budget.
        public static let headerTooLarge = code(9, "headerTooLarge", .limitExceeded, "Headers are a few hundred bytes; NpyLimits.maxHeaderBytes bounds them.")
        /// The declared data is larger than the budget.
        public static let dataTooLarge = code(10, "dataTooLarge", .limitExceeded, "NpyLimits.maxDataBytes bounds the data an array may declare.")
        /// More dimensions than the budget.
        public static let rankTooLarge = code(11, "rankTooLarge", .limitExceeded, "NpyLimits.maxRank bounds the number of dimensions (NumPy allows 64).")

        /// Every code, in number order.
        public static let all: [ErrorCode] = [
            badMagic, unsupportedVersion, truncatedHeader, malformedHeader, unsupportedDType, objectArray,
            dataSizeMismatch, shapeOverflow, headerTooLarge, dataTooLarge, rankTooLarge,
        ]
    }
}
