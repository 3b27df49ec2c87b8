/// An allow file that cannot be used: unreadable, or a line that is not a registration.
public struct AllowFileError: Error, CustomStringConvertible, Sendable {
    /// The file as given.
    public let path: String
    /// The 1-based line, when a line is at fault.
    public let line: Int?
    /// What is wrong.
    public let reason: String

    public var description: String {
        line.map { "\(path):\($0): \(reason)" } ?? "\(path): \(reason)"
    }
}
