/// How a string datatype pads or terminates its values.
public enum HDF5StringPadding: Sendable, Hashable {
    /// Terminated by a NUL byte (padding after it is undefined).
    case nullTerminated
    /// Padded with NUL bytes.
    case nullPadded
    /// Padded with spaces.
    case spacePadded
}
