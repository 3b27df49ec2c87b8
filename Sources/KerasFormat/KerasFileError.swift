/// The path cannot be read at all (missing, unreadable). Everything wrong *inside* a readable file is a
/// ``Finding`` instead.
public struct KerasFileError: Error, CustomStringConvertible, Sendable {
    /// The path as given.
    public let path: String
    /// What failed.
    public let reason: String

    public var description: String { "\(path): \(reason)" }
}
