import KerasBytes
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
    /// The seed of the optimizer state's values; nil when the model is not compiled.
    public let optimizerSeed: UInt64?

    /// `config.json` as Keras writes it (`json.dumps`).
    public var configBytes: [UInt8] { JSONWriter.dumpBytes(config) }

    /// The model built by the reference core with seeded random weights: values in [-0.5, 0.5] (variances
    /// in [0.25, 1.5]), stored in the variable dtype of the policy (`float16` and `bfloat16` policies store
    /// their own dtype; the mixed ones store float32), so a variable read in the wrong order shows; a
    /// quantized Dense or EinsumDense gets int8 and packed int4 kernels, scales and histories in the dtypes
    /// Keras stores (``QuantizedWeights``). A compiled model also carries its optimizer's state as after a
    /// few training steps (see ``optimizerState(for:)``).
    public func instantiate(options: LoadOptions = LoadOptions()) throws(ReferenceError) -> KerasModel {
        let model = try KerasModel.build(config: config, options: options)
        var choices = Choices(seed: weightSeed)
        for (_, layer) in model.saveableObjects {
            if try QuantizedWeights.assign(layer, &choices) { continue }
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
        if let state = try optimizerState(for: model) {
            model.setOptimizerState(name: state.name, variables: state.variables.map { ($0.variable.dtype, $0.variable.shape, ByteView(copying: $0.bytes)) })
        }
        return model
    }

    /// The optimizer state of the compiled model `model` (this model, instantiated) as after a few training
    /// steps, in the layout Keras 3.15.1 writes for its optimizer variant (``OptimizerSlots``) over the
    /// model's trainable variables in `model.trainable_variables` order: `iteration` in 1...20, the
    /// learning rate of the config when it is a plain float, every slot with its variable's shape and dtype
    /// and seeded values on a grid of 1/256 in [-0.5, 0.5] ([0, 0.5] for second moments, accumulators and
    /// norms), exact in float16 and bfloat16. Nil when the config has no compile config or no known
    /// optimizer; the `name` is the optimizer's config name, which Keras writes on `/optimizer/vars`.
    public func optimizerState(for model: KerasModel) throws(ReferenceError) -> (name: String?, variables: [(variable: OptimizerSlots.Variable, bytes: [UInt8])])? {
        guard let seed = optimizerSeed, let optimizer = config["compile_config"]?["optimizer"],
              let slots = OptimizerSlots.variant(of: optimizer) else { return nil }
        let rate = optimizer["config"]?["learning_rate"]
        let trainable = TrainableVariables.of(model).map { ($0.name, $0.variable.dtype, $0.variable.shape) }
        var choices = Choices(seed: seed)
        var result: [(variable: OptimizerSlots.Variable, bytes: [UInt8])] = []
        for variable in slots.variables(for: trainable, floatLearningRate: rate?.numberValue != nil) {
            let count = variable.shape.reduce(1, *)
            let values: [Double]
            switch variable.name {
            case "iteration": values = [Double(choices.int(in: 1...20))]
            case "learning_rate": values = [rate?.doubleValue ?? 0]
            default:
                values = (0..<count).map { _ in Double(variable.nonnegative ? choices.int(in: 0...128) : choices.int(in: -128...128)) / 256 }
            }
            guard let bytes = Self.bytes(values, dtype: variable.dtype) else {
                throw ReferenceError(ReferenceError.Code.unsupportedDType, "optimizer variable \(variable.name) of dtype \(variable.dtype)", at: "optimizer/vars")
            }
            result.append((variable, bytes))
        }
        return (optimizer["config"]?["name"]?.stringValue, result)
    }

    /// `values` as little-endian `dtype` bytes (values of the 1/256 grid are exact in every float dtype).
    private static func bytes(_ values: [Double], dtype: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        for value in values {
            switch dtype {
            case "int32": append(Int32(value))
            case "int64": append(Int64(value))
            case "float32": append(Float(value).bitPattern)
            case "float64": append(value.bitPattern)
            case "float16": append(Float16(value).bitPattern)
            case "bfloat16": append(UInt16(truncatingIfNeeded: Float(value).bitPattern >> 16))
            default: return nil
            }
        }
        return bytes
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
