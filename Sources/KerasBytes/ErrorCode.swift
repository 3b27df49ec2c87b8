/// The class every reader error belongs to (docs/ARCHITECTURE.md, "Errors, findings, limits").
public enum ErrorCategory: String, Sendable, CaseIterable, Codable {
    /// The bytes break the format.
    case malformed
    /// The bytes are valid for the format, but use a feature kconform does not implement.
    case unsupported
    /// A budget from the reader's limits ran out.
    case limitExceeded
    /// The bytes are well-formed but unsafe by policy (for example a path-traversal member name).
    case policyRejected
}

/// A stable error code of one reader: never renumbered, never reused.
///
/// The code doubles as the rule id of the structural finding that reports it (`KC-ZIP-003`).
/// Two codes are equal when domain and number are equal; tests compare codes, never message text.
public struct ErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// The reader: `ZIP`, `H5` or `JSON`.
    public let domain: String
    /// The number within the domain, unique and stable.
    public let number: Int
    /// A stable camelCase name, for listings and for file names of invalid samples.
    public let name: String
    /// The class of the error.
    public let category: ErrorCategory
    /// One line on what the code means, for `kconform rules`.
    public let summary: String

    /// Declares a code. Codes are declared once, as static constants of their reader's error type.
    public init(domain: String, number: Int, name: String, category: ErrorCategory, summary: String) {
        self.domain = domain
        self.number = number
        self.name = name
        self.category = category
        self.summary = summary
    }

    /// The rule id: `KC-<domain>-<three-digit number>`.
    public var ruleID: String {
        let digits = String(number)
        return "KC-\(domain)-\(String(repeating: "0", count: max(0, 3 - digits.count)))\(digits)"
    }

    public var description: String { "\(ruleID) \(name)" }

    public static func == (lhs: ErrorCode, rhs: ErrorCode) -> Bool {
        lhs.domain == rhs.domain && lhs.number == rhs.number
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(domain)
        hasher.combine(number)
    }
}

/// What every reader's error type offers, so that KerasFormat can turn any of them into a finding.
public protocol ReaderError: Error, CustomStringConvertible, Sendable {
    /// The stable code.
    var code: ErrorCode { get }
    /// A human sentence on what was wrong, with the values seen.
    var reason: String { get }
    /// Where: a byte offset, a member name, an HDF5 path or a JSON pointer, as a human string.
    var location: String { get }
}

extension ReaderError {
    public var description: String {
        location.isEmpty ? "\(code.ruleID) \(reason)" : "\(code.ruleID) \(reason) (at \(location))"
    }
}
