/// What one fuzzer input did, when it broke no property.
public enum FuzzOutcome: Sendable, Hashable {
    /// The option byte sets a bit the target does not define: the input means nothing (libFuzzer drops it).
    case invalidOptions
    /// The reader refused the body with this rule id (`KC-ZIP-007`); nothing further was checked.
    case rejected(String)
    /// The reader accepted the body and every property of the target held.
    case accepted
}
