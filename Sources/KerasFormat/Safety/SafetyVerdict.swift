/// What the safety policy says about one class or function reference.
public enum SafetyVerdict: Sendable, Hashable {
    /// A Keras modelling object of the allow-list.
    case allowed(KerasObject)
    /// One of the user's own objects, by this registration.
    case registered(AllowRegistration)
    /// Refused, by `rule`, for the reason given.
    case refused(Rule, String)

    /// Whether the reference may be loaded (allowed or registered).
    public var isAccepted: Bool {
        if case .refused = self { return false }
        return true
    }
}
