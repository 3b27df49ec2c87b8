import KerasBytes

/// Why a model could not be built, loaded or run by the reference core.
public struct ReferenceError: ReaderError, Equatable {
    public let code: ErrorCode
    public let reason: String
    /// A JSON pointer into the config, an HDF5 path or a layer name.
    public let location: String

    /// An error of `code`.
    public init(_ code: ErrorCode, _ reason: String, at location: String = "") {
        self.code = code
        self.reason = reason
        self.location = location
    }

    public static func == (lhs: ReferenceError, rhs: ReferenceError) -> Bool { lhs.code == rhs.code }

    /// Every code of the reference core, domain `REF`.
    public enum Code {
        private static func code(_ number: Int, _ name: String, _ category: ErrorCategory, _ summary: String) -> ErrorCode {
            ErrorCode(domain: "REF", number: number, name: name, category: category, summary: summary)
        }

        /// A config value has the wrong type or is missing (FORMAT.md 2).
        public static let invalidConfig = code(1, "invalidConfig", .malformed, "A config field is missing or has the wrong type.")
        /// A class that is neither built in nor supplied as a custom object (SER:899-905).
        public static let unknownClass = code(2, "unknownClass", .unsupported, "Could not locate the class: not built in and not a custom object.")
        /// A lambda where safe mode is on (SER:679-688, LAM:169-200).
        public static let unsafeLambda = code(3, "unsafeLambda", .policyRejected, "Deserializing a Python lambda is refused in safe mode.")
        /// The Functional graph has loops or disconnected nodes (FUN:608-646).
        public static let invalidGraph = code(4, "invalidGraph", .malformed, "The Functional graph has loops, disconnected nodes or unknown layers.")
        /// A layer's variable count differs from the file's (LAY:1476-1499, SL:698-712).
        public static let variableCountMismatch = code(5, "variableCountMismatch", .malformed, "The file holds a different number of variables than the layer has.")
        /// A variable's shape differs from the file's (VAR:282-292).
        public static let variableShapeMismatch = code(6, "variableShapeMismatch", .malformed, "A stored variable has a different shape than the layer's.")
        /// Some objects could not be loaded; the reason gives the count and the first error (SL:698-712).
        public static let loadFailed = code(7, "loadFailed", .malformed, "A total of N objects could not be loaded.")
        /// The layer has no forward math in kconform.
        public static let notImplemented = code(8, "notImplemented", .unsupported, "The layer loads and re-saves but has no forward math in kconform.")
        /// Inputs given to predict do not match the model's inputs.
        public static let inputMismatch = code(9, "inputMismatch", .malformed, "predict needs one input per model input, with matching shapes.")
        /// A stored variable has a dtype kconform cannot convert.
        public static let unsupportedDType = code(10, "unsupportedDType", .unsupported, "A variable dtype that cannot be converted.")
        /// The file has no config or weights to load a model from.
        public static let notAModel = code(11, "notAModel", .malformed, "The file holds no model config.")

        /// Writing the output failed (libzip, libhdf5 or the file system).
        public static let saveFailed = code(12, "saveFailed", .unsupported, "The output could not be written.")

        /// Every code, in number order.
        public static let all: [ErrorCode] = [
            invalidConfig, unknownClass, unsafeLambda, invalidGraph, variableCountMismatch, variableShapeMismatch,
            loadFailed, notImplemented, inputMismatch, unsupportedDType, notAModel, saveFailed,
        ]
    }
}
