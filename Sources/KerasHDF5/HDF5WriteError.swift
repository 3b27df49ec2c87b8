/// Why an ``HDF5Writer`` call failed.
///
/// The writer only writes trusted data, so these are caller mistakes or libhdf5 refusals, not
/// findings about a file; they carry text for a human rather than a rule code.
public struct HDF5WriteError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure it was.
    public enum Kind: String, Sendable {
        /// libhdf5 returned an error; ``HDF5WriteError/call`` names the function and
        /// ``HDF5WriteError/detail`` holds libhdf5's error stack.
        case library
        /// The writer refused an argument (data size that does not match the shape, a bool byte
        /// other than 0 or 1, an empty path component, a path through a dataset).
        case invalidArgument
        /// The writer was used after ``HDF5Writer/finish()``.
        case finished
    }

    /// What kind of failure it was.
    public let kind: Kind
    /// The libhdf5 function that failed, or the writer method that refused its arguments.
    public let call: String
    /// The HDF5 path being written, or "" when none applies.
    public let path: String
    /// libhdf5's error stack (one frame per line, outermost first) or the reason for the refusal.
    public let detail: String

    /// Creates an error; the writer builds these, tests may too.
    public init(kind: Kind, call: String, path: String, detail: String) {
        self.kind = kind
        self.call = call
        self.path = path
        self.detail = detail
    }

    public var description: String {
        let location = path.isEmpty ? "" : " at \(path)"
        return "HDF5 write failed in \(call)\(location) (\(kind.rawValue)): \(detail)"
    }
}
