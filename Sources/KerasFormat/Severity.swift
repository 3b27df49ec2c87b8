/// How serious a finding is. The order is `info < warning < error`.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    /// A fact worth knowing; never a problem by itself.
    case info
    /// Questionable but harmless: Keras loads the file and nothing unsafe happens.
    case warning
    /// Breaks the format, cannot be verified, or is unsafe: `kconform check` exits 1.
    case error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
