/// One case of a conformance run: what was checked on which model, and how it ended.
public struct CaseResult: Sendable, Codable, Equatable {
    /// The model's name (`gen-7-12`, or the corpus or kit file name).
    public var name: String
    /// Where the model came from: `generated`, `corpus` or `kit`.
    public var source: String
    /// The property or check (`round-trip`, `name-stability`, `safe-mode`, `weights-only`, `predict`, ...).
    public var property: String
    /// The file format involved (`.keras`, `.h5`, `.weights.h5`, ...), or `config` for in-memory checks.
    public var format: String
    /// How it ended.
    public var outcome: CaseOutcome
    /// What was seen (empty for a pass).
    public var detail: String
    /// The command that replays the case alone.
    public var replay: String
    /// The layer classes of the model, nested models' included, with repeats.
    public var layers: [String]
    /// Wall-clock seconds the check took.
    public var seconds: Double

    /// A case result.
    public init(name: String, source: String, property: String, format: String, outcome: CaseOutcome, detail: String = "", replay: String, layers: [String], seconds: Double = 0) {
        self.name = name
        self.source = source
        self.property = property
        self.format = format
        self.outcome = outcome
        self.detail = detail
        self.replay = replay
        self.layers = layers
        self.seconds = seconds
    }
}
