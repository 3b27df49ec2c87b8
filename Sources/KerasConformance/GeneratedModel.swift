import KerasJSON
import KerasReference

/// A generated model: its `config.json` document, what its inputs are, and the seeds of its weights and
/// inputs. ``instantiate(options:)`` builds it in the reference core with random weights.
public struct GeneratedModel: Sendable {
    /// One model input.
    public struct InputSpec: Sendable, Equatable {
        /// The InputLayer's name.
        public let name: String
        /// The shape without the batch axis.
        public let shape: [Int]
        /// `float32`, or `int32` for the token ids of an Embedding.
        public let dtype: String
        /// For integer inputs: values are drawn below this.
        public let vocabulary: Int?
    }

    /// The top-level model class.
    public enum Kind: String, Sendable {
        case sequential, functional
    }

    /// The `config.json` document.
    public let config: JSONValue
    /// The inputs in the model's order.
    public let inputs: [InputSpec]
    /// Sequential or Functional.
    public let kind: Kind
    /// The layer classes drawn, nested models included, in drawing order (with repeats).
    public let layerClasses: [String]
    /// The dtype policy of every layer (`float32`, `float16`, `bfloat16`, `mixed_float16`, `mixed_bfloat16`).
    public let policy: String
    /// The seed of the weights' values.
    public let weightSeed: UInt64
    /// The seed of the inputs' values.
    public let inputSeed: UInt64

    /// `config.json` as Keras writes it (`json.dumps`).
    public var configBytes: [UInt8] { JSONWriter.dumpBytes(config) }

    /// The model built by the reference core with seeded random weights: values in [-0.5, 0.5] (variances
    /// in [0.25, 1.5]), stored in the variable dtype of the policy (`float16` and `bfloat16` policies store
    /// their own dtype; the mixed ones store float32), so a variable read in the wrong order shows.
    public func instantiate(options: LoadOptions = LoadOptions()) throws(ReferenceError) -> KerasModel {
        let model = try KerasModel.build(config: config, options: options)
        var choices = Choices(seed: weightSeed)
        for (_, layer) in model.saveableObjects {
            let policy = layer.envelope.config["dtype"]?["config"]?["name"]?.stringValue ?? policy
            let dtype = policy == "float16" || policy == "bfloat16" ? policy : "float32"
            for variable in layer.variables {
                let count = variable.shape.reduce(1, *)
                let positive = variable.name.contains("variance")
                let values = (0..<count).map { _ in
                    positive ? 0.25 + 1.25 * Float(choices.int(in: 0...1024)) / 1024 : Float(choices.int(in: -512...512)) / 1024
                }
                try variable.assign(values, as: dtype)
            }
        }
        return model
    }

    /// Seeded inputs of `batch` samples: floats in [-1, 1], token ids below the vocabulary.
    public func makeInputs(batch: Int = 2) -> [Tensor] {
        var choices = Choices(seed: inputSeed)
        return inputs.map { spec in
            let shape = [batch] + spec.shape
            let count = shape.reduce(1, *)
            let scalars = (0..<count).map { _ -> Float in
                if let vocabulary = spec.vocabulary { return Float(choices.int(in: 0...(vocabulary - 1))) }
                return Float(choices.int(in: -1024...1024)) / 1024
            }
            return Tensor(shape: shape, scalars: scalars)
        }
    }

    /// Counts of each drawn layer class.
    public var classCounts: [String: Int] { layerClasses.reduce(into: [:]) { $0[$1, default: 0] += 1 } }
}
