/// A conformance property that did not hold: which property, on which case, and what was seen.
///
/// Property checks throw it; the runner records it as a failure with the case's replay seed, and tests
/// turn it into an issue.
public struct PropertyViolation: Error, Sendable, CustomStringConvertible {
    /// The property's short name (`round-trip`, `name-stability`, `safe-mode`, `weights-only`,
    /// `robustness`, `oracles`).
    public let property: String
    /// What was checked and what differed.
    public let detail: String

    /// A violation of `property`.
    public init(_ property: String, _ detail: String) {
        self.property = property
        self.detail = detail
    }

    public var description: String { "\(property): \(detail)" }
}
