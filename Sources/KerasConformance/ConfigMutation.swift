import KerasJSON

/// One change that makes a valid model config invalid, with the refusal it must meet.
///
/// ``ConfigMutator`` makes them; the config-level robustness property puts ``config`` into an otherwise
/// valid archive and requires the checker or the reference core to refuse it with one of
/// ``expectedRuleIDs``.
public struct ConfigMutation: Sendable, CustomStringConvertible {
    /// Every kind of config mutation.
    public enum Kind: String, Sendable, CaseIterable {
        /// An envelope field (`class_name`, `config`, `module`, `registered_name`) or a model field (`layers`,
        /// a Sequential's `name`) given a value of the wrong JSON type.
        case wrongFieldType = "config.wrong-type"
        /// A required field removed: an envelope's `class_name` or `config`, a model's `layers`, a Sequential's
        /// `name`, a Functional's `input_layers` or `output_layers`.
        case missingField = "config.missing-field"
        /// `inbound_nodes` (a `keras_history`), `input_layers` or `output_layers` naming a layer the model lacks.
        case danglingLayerReference = "config.dangling-layer"
        /// A layer reference naming an existing layer's call (node) that never happens.
        case danglingNodeIndex = "config.dangling-node"
        /// A layer call fed, directly or through other layers, by its own output.
        case layerCycle = "config.cycle"
        /// A layer class name that neither Keras nor a registration knows.
        case unknownClass = "config.unknown-class"
        /// A layer module outside Keras.
        case unknownModule = "config.unknown-module"
        /// A layer renamed to the name of another layer of the same model.
        case duplicateLayerName = "config.duplicate-name"
    }

    /// The kind.
    public let kind: Kind
    /// What was changed.
    public let detail: String
    /// The JSON pointer of the changed value (of the removed member, for ``Kind/missingField``).
    public let pointer: String
    /// The mutated config.
    public let config: JSONValue
    /// The rule ids of which the refusal must carry at least one: a checker finding of error severity, or the
    /// reference core's `KC-REF-NNN` code. Empty when the refusal is not deterministic (any rule id will do).
    public let expectedRuleIDs: Set<String>
    /// Whether kconform's reference core meets the error only when the graph runs (cycles and calls that
    /// never happen), not while loading; Keras rebuilds a Functional graph at load and fails there.
    public let detectedWhenRun: Bool

    /// A mutation of `kind`.
    public init(kind: Kind, detail: String, pointer: String, config: JSONValue, expectedRuleIDs: Set<String>, detectedWhenRun: Bool = false) {
        self.kind = kind
        self.detail = detail
        self.pointer = pointer
        self.config = config
        self.expectedRuleIDs = expectedRuleIDs
        self.detectedWhenRun = detectedWhenRun
    }

    /// The kind's name, for reports (`config.cycle`).
    public var name: String { kind.rawValue }

    public var description: String {
        "\(kind.rawValue) at \(pointer): \(detail) (expects \(expectedRuleIDs.isEmpty ? "any rule" : expectedRuleIDs.sorted().joined(separator: " or ")))"
    }
}
