/// One result of a rule: what is wrong or notable, how serious, and where.
public struct Finding: Hashable, Sendable, CustomStringConvertible {
    /// The rule that produced it (`KC-ZIP-003`, `KC-W-002`); see ``RuleCatalogue``.
    public let ruleID: String
    /// The rule's severity.
    public let severity: Severity
    /// A sentence with the values seen.
    public let message: String
    /// Where.
    public let location: Location

    /// A finding of `rule` with its severity.
    public init(_ rule: Rule, _ message: String, at location: Location) {
        self.ruleID = rule.id
        self.severity = rule.severity
        self.message = message
        self.location = location
    }

    public var description: String { "\(severity.rawValue) \(ruleID) \(location): \(message)" }
}
