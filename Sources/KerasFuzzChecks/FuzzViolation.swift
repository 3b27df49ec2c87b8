/// A property of a fuzz target that an input broke: a bug, as much as a crash is.
public struct FuzzViolation: Error, Sendable, CustomStringConvertible {
    /// The target whose property failed.
    public let target: FuzzTarget
    /// The property, in a few words (`round trip changes member names`).
    public let property: String
    /// What was seen.
    public let detail: String

    /// A violation of `property` by `target`, with `detail`.
    public init(_ target: FuzzTarget, _ property: String, _ detail: String) {
        self.target = target
        self.property = property
        self.detail = detail
    }

    /// `FuzzZip: <property>: <detail>`.
    public var description: String { "\(target.rawValue): \(property): \(detail)" }
}
