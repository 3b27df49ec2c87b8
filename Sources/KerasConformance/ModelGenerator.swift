import KerasFormat
import KerasJSON
import KerasReference

/// Generates random valid Keras models as `config.json` documents: Sequential stacks and Functional DAGs
/// with several inputs and outputs, shared layers, nested and reused sub-models, every layer with forward
/// math, hyperparameters over their legal ranges, default and custom names, dtype policies.
///
/// Every object starts from the template Keras 3.15.1 serializes (``KerasTemplates``), so the fields a
/// draw does not set are Keras's; a Functional's layers are listed in the order Keras's `map_graph` gives
/// (depth, then first DFS visit), node indices are re-based as `Functional.get_config` re-bases them,
/// so that Keras reads the weights of a generated file at the paths kconform wrote them.
public struct ModelGenerator: Sendable {
    /// The size and mix of the models.
    public var settings: GeneratorSettings

    /// A generator with `settings`.
    public init(settings: GeneratorSettings = GeneratorSettings()) {
        self.settings = settings
    }

    /// One model, every decision drawn from `choices`.
    public func generate(_ choices: inout Choices) -> GeneratedModel {
        var state = GenerationState(settings: settings)
        let policy = choices.bool(settings.lowPrecisionProbability)
            ? choices.element(of: ["float16", "bfloat16", "mixed_float16", "mixed_bfloat16"]) : "float32"
        state.policy = policy
        let functional = choices.bool(settings.functionalProbability)
        var inputs: [GeneratedModel.InputSpec] = []
        var config: JSONValue
        if functional {
            let count = choices.int(in: 1...max(1, settings.maxInputs))
            for _ in 0..<count { inputs.append(state.drawInput(&choices, allowIntegers: true)) }
            var graph = GraphBuilder(state: state, name: state.modelName("functional", &choices))
            let root = graph.functional(inputs: inputs, layers: choices.int(in: 1...max(1, settings.maxLayers)), choices: &choices)
            state = graph.state
            config = root
        } else {
            let input = state.drawInput(&choices, allowIntegers: true)
            inputs = [input]
            var graph = GraphBuilder(state: state, name: state.modelName("sequential", &choices))
            let (root, _) = graph.sequential(input: input, layers: choices.int(in: 1...max(1, settings.maxLayers)), choices: &choices, nested: false)
            state = graph.state
            config = root
        }
        let compiled = choices.bool(settings.compileProbability)
        if compiled { config = config.setting("compile_config", CompileSampler().draw(&choices)) }
        let weightSeed = choices.seed(), inputSeed = choices.seed()
        // Drawn last, so that the draws before (and every uncompiled model) are what they were before
        // compiled models carried optimizer state.
        var optimizerSeed: UInt64?
        if compiled, let compileConfig = config["compile_config"] {
            config = config.setting("compile_config", CompileSampler().drawVariant(compileConfig, &choices))
            optimizerSeed = choices.seed()
        }
        return GeneratedModel(config: config, inputs: inputs, kind: functional ? .functional : .sequential, layerClasses: state.classes,
                              policy: policy, weightSeed: weightSeed, inputSeed: inputSeed, optimizerSeed: optimizerSeed)
    }
}

/// Names, classes and the policy shared by a model and its nested models while one model is generated.
struct GenerationState: Sendable {
    let settings: GeneratorSettings
    var policy = "float32"
    /// Every name used so far (Keras requires unique layer names in a model; kept unique across levels).
    var usedNames: Set<String> = []
    /// The next automatic suffix per base name (`dense`, `dense_1`, ...), as Keras's `auto_name` counts.
    var counters: [String: Int] = [:]
    /// Layer classes drawn, in order, nested models included.
    var classes: [String] = []
    /// Layers drawn so far (the budget counts nested models' layers).
    var layerCount = 0

    init(settings: GeneratorSettings) { self.settings = settings }

    /// Keras's automatic name for `base`, skipping names already used.
    mutating func autoName(_ base: String) -> String {
        while true {
            let count = counters[base, default: 0]
            counters[base] = count + 1
            let name = count == 0 ? base : "\(base)_\(count)"
            if usedNames.insert(name).inserted { return name }
        }
    }

    /// Sometimes a custom name (unicode, long, or one that looks like another class's automatic name),
    /// otherwise the automatic one.
    mutating func layerName(_ className: String, _ choices: inout Choices) -> String {
        if choices.bool(settings.customNameProbability) {
            let candidates = [
                "層_\(choices.int(in: 0...99))", "couche_é_\(choices.int(in: 0...99))", "слой\(choices.int(in: 0...99))",
                "🧪_layer_\(choices.int(in: 0...99))", String(repeating: "long_name_", count: choices.int(in: 5...20)) + "\(choices.int(in: 0...99))",
                "dense_\(choices.int(in: 1...9))", "conv2d_\(choices.int(in: 1...9))", "input_layer_\(choices.int(in: 1...9))",
                "x y \(choices.int(in: 0...9))", "layer.with.dots_\(choices.int(in: 0...9))",
            ]
            let name = choices.element(of: candidates)
            if usedNames.insert(name).inserted { return name }
        }
        return autoName(KerasNaming.snakeCase(className))
    }

    mutating func modelName(_ base: String, _ choices: inout Choices) -> String {
        layerName(base == "functional" ? "Functional" : "Sequential", &choices)
    }

    /// A model input: a float tensor of rank 1 to 4, or (sometimes) an integer sequence for an Embedding.
    mutating func drawInput(_ choices: inout Choices, allowIntegers: Bool) -> GeneratedModel.InputSpec {
        let name = layerName("InputLayer", &choices)
        if allowIntegers, choices.bool(settings.embeddingProbability) {
            return GeneratedModel.InputSpec(name: name, shape: [choices.int(in: 1...8)], dtype: "int32", vocabulary: choices.int(in: 2...12))
        }
        let shape: [Int]
        switch choices.int(in: 1...4) {
        case 1: shape = [choices.int(in: 1...12)]
        case 2: shape = [choices.int(in: 1...8), choices.int(in: 1...5)]
        case 3: shape = [choices.int(in: 2...7), choices.int(in: 2...7), choices.int(in: 1...3)]
        default: shape = [choices.int(in: 2...4), choices.int(in: 2...4), choices.int(in: 2...4), choices.int(in: 1...2)]
        }
        return GeneratedModel.InputSpec(name: name, shape: shape, dtype: "float32", vocabulary: nil)
    }
}
