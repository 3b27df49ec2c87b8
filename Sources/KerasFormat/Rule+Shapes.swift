/// The declared-shape rules: the weights against the shapes the config implies, and what building the
/// config's model would allocate (THREATS.md B5; ``DeclaredVariables``, ``DeclaredShapeCheck``).
extension Rule {
    /// A stored variable's shape, or an object's variable count, disagrees with the config.
    public static let configShapeMismatch = Rule(
        id: "KC-W-014", name: "configShapeMismatch", severity: .error, source: .format,
        rationale: "Keras builds each layer from its config, then assigns the stored datasets; a count or shape that differs fails the load (\"expected N variables\", variable.assign shape mismatch) after the declared data was read into memory (FORMAT.md 4.5, THREATS.md B5).")
    /// The config declares more variable elements than the weights store, beyond the budget.
    public static let variableBudget = Rule(
        id: "KC-W-015", name: "variableBudget", severity: .error, source: .format,
        rationale: "Building a model allocates every variable its config declares before any weight is read: a few bytes of config can claim gigabytes that the file never stores. DeclaredShapeLimits.maxUnstoredVariableElements bounds it (THREATS.md B5).")

    /// Every declared-shape rule, in id order.
    public static let shapeRules: [Rule] = [configShapeMismatch, variableBudget]
}
