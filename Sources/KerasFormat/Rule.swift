/// A rule of the catalogue: a stable id, its severity, and why it exists.
public struct Rule: Hashable, Sendable {
    /// Where a rule comes from.
    public enum Source: String, Sendable, CaseIterable {
        /// An error code of the zip reader.
        case zip
        /// An error code of the HDF5 reader.
        case hdf5
        /// An error code of the JSON reader.
        case json
        /// An error code of the `.npy` reader (npz weights members).
        case npy
        /// A rule about the Keras file model (members, metadata, config, weights layout).
        case format
        /// A safety rule: references resolved against the allow-list, lambdas, file access, npz members.
        case safety
    }

    /// The stable id, `KC-<AREA>-<NNN>`.
    public let id: String
    /// A short stable name (camelCase).
    public let name: String
    /// The severity of every finding of this rule.
    public let severity: Severity
    /// Where the rule comes from.
    public let source: Source
    /// One line on why the rule exists.
    public let rationale: String

    /// The threat class of docs/THREATS.md the rule answers, or `structural`.
    public var threat: ThreatClass { ThreatClass.of(ruleID: id) }

    /// Declares a rule.
    public init(id: String, name: String, severity: Severity, source: Source, rationale: String) {
        self.id = id
        self.name = name
        self.severity = severity
        self.source = source
        self.rationale = rationale
    }
}
