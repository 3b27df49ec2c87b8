import KerasJSON

/// Draws layers whose hyperparameters span their legal ranges, with the shape inference that keeps the
/// graph valid: a draw returns nil when the class cannot take the given input shapes, so only valid graphs
/// are built. Shapes exclude the batch axis; formulas are Keras's (`compute_conv_output_shape`,
/// `compute_pooling_output_shape`, `compute_conv_transpose_output_shape`).
struct LayerSampler: Sendable {
    let settings: GeneratorSettings
    let templates = TemplateCatalogue.shared

    /// Single-input classes by the input rank they take (features 1, sequences 2, images 3, volumes 4;
    /// 0 means any rank).
    static let singleInput: [(className: String, rank: Int)] = [
        ("Dense", 0), ("Activation", 0), ("Dropout", 0), ("GaussianNoise", 0), ("GaussianDropout", 0), ("AlphaDropout", 0),
        ("LayerNormalization", 0), ("BatchNormalization", 0), ("UnitNormalization", 0), ("Rescaling", 0), ("ReLU", 0),
        ("LeakyReLU", 0), ("PReLU", 0), ("ELU", 0), ("Softmax", 0), ("Flatten", 0), ("Permute", 0), ("GroupNormalization", 0),
        ("Reshape", 0), ("RepeatVector", 1), ("EinsumDense", 1), ("EinsumDense", 2),
        ("Conv1D", 2), ("DepthwiseConv1D", 2), ("SeparableConv1D", 2), ("Conv1DTranspose", 2), ("MaxPooling1D", 2),
        ("AveragePooling1D", 2), ("GlobalMaxPooling1D", 2), ("GlobalAveragePooling1D", 2), ("ZeroPadding1D", 2),
        ("Cropping1D", 2), ("UpSampling1D", 2), ("SimpleRNN", 2), ("LSTM", 2), ("GRU", 2), ("Bidirectional", 2),
        ("TimeDistributed", 2), ("SpatialDropout1D", 2), ("MultiHeadAttention", 2), ("Attention", 2),
        ("Conv2D", 3), ("DepthwiseConv2D", 3), ("SeparableConv2D", 3), ("Conv2DTranspose", 3), ("MaxPooling2D", 3),
        ("AveragePooling2D", 3), ("GlobalMaxPooling2D", 3), ("GlobalAveragePooling2D", 3), ("ZeroPadding2D", 3),
        ("Cropping2D", 3), ("UpSampling2D", 3), ("SpatialDropout2D", 3),
        ("Conv3D", 4), ("Conv3DTranspose", 4), ("MaxPooling3D", 4), ("AveragePooling3D", 4), ("GlobalMaxPooling3D", 4),
        ("GlobalAveragePooling3D", 4), ("ZeroPadding3D", 4), ("Cropping3D", 4), ("UpSampling3D", 4),
    ]

    /// Merge classes (two or more inputs).
    static let merges = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot"]

    /// Every layer class the generators can draw (Embedding takes the integer inputs).
    static var allClasses: [String] {
        var seen = Set<String>()
        return (singleInput.map(\.className) + merges + ["Embedding"]).filter { seen.insert($0).inserted }
    }

    /// Activation functions with forward math in the reference core.
    static let activations = ["linear", "relu", "relu6", "sigmoid", "tanh", "softmax", "log_softmax", "elu", "selu", "softplus",
                              "softsign", "silu", "gelu", "hard_sigmoid", "hard_silu", "exponential", "leaky_relu", "mish",
                              "log_sigmoid", "hard_tanh", "tanh_shrink"]

    // MARK: Drawing

    /// A single-input layer for an input of `shape`, or nil when `className` cannot take it.
    func draw(_ className: String, input shape: [Int], choices: inout Choices) -> LayerDraft? {
        let rank = shape.count
        switch className {
        case "Dense":
            let units = choices.int(in: 1...settings.maxUnits)
            var draft = LayerDraft(className, weighted(&choices, [("units", .int(units)), ("activation", .string(activation(&choices))),
                                                                  ("use_bias", .bool(choices.bool(0.8)))],
                                                       kernels: ["kernel"], biases: ["bias"]),
                                   output: shape.dropLast() + [units])
            draft.quantization = quantization(&choices, rows: shape.last ?? 1)
            return draft
        case "Activation":
            return LayerDraft(className, [("activation", .string(activation(&choices)))], output: shape)
        case "Dropout", "SpatialDropout1D", "SpatialDropout2D":
            return LayerDraft(className, [("rate", .double(Double(choices.int(in: 0...9)) / 10))], output: shape)
        case "GaussianNoise":
            return LayerDraft(className, [("stddev", .double(Double(choices.int(in: 1...10)) / 10))], output: shape)
        case "GaussianDropout", "AlphaDropout":
            return LayerDraft(className, [("rate", .double(Double(choices.int(in: 1...9)) / 10))], output: shape)
        case "LayerNormalization":
            var config: [(String, JSONValue)] = [("epsilon", .double(choices.element(of: [1e-3, 1e-5, 1e-6])))]
            if choices.bool(0.2) { config.append(("rms_scaling", .bool(true))) } else {
                config += [("center", .bool(choices.bool(0.8))), ("scale", .bool(choices.bool(0.8)))]
            }
            return LayerDraft(className, config, output: shape)
        case "BatchNormalization":
            return LayerDraft(className, [("momentum", .double(choices.element(of: [0.99, 0.9]))), ("epsilon", .double(choices.element(of: [1e-3, 1e-5]))),
                                          ("center", .bool(choices.bool(0.8))), ("scale", .bool(choices.bool(0.8)))], output: shape)
        case "UnitNormalization":
            return LayerDraft(className, output: shape)
        case "Rescaling":
            return LayerDraft(className, [("scale", .double(Double(choices.int(in: -20...20)) / 8)), ("offset", .double(Double(choices.int(in: -8...8)) / 4))], output: shape)
        case "ReLU":
            var config: [(String, JSONValue)] = []
            if choices.bool(0.3) { config.append(("max_value", .double(Double(choices.int(in: 1...12)) / 2))) }
            if choices.bool(0.3) { config.append(("negative_slope", .double(Double(choices.int(in: 1...5)) / 10))) }
            if choices.bool(0.2) { config.append(("threshold", .double(Double(choices.int(in: 0...4)) / 8))) }
            return LayerDraft(className, config, output: shape)
        case "LeakyReLU":
            return LayerDraft(className, [("negative_slope", .double(Double(choices.int(in: 1...9)) / 10))], output: shape)
        case "PReLU":
            var config: [(String, JSONValue)] = []
            if rank >= 2, choices.bool(0.4) {
                let axes = (1...rank).filter { _ in choices.bool(0.5) }
                if !axes.isEmpty, axes.count < rank { config.append(("shared_axes", .ints(axes))) }
            }
            return LayerDraft(className, config, output: shape)
        case "ELU":
            return LayerDraft(className, output: shape)
        case "Softmax":
            return LayerDraft(className, [("axis", .int(choices.bool(0.8) ? -1 : choices.int(in: 1...rank)))], output: shape)
        case "Flatten":
            guard rank >= 2 else { return nil }
            return LayerDraft(className, output: [shape.reduce(1, *)])
        case "Permute":
            guard rank >= 2 else { return nil }
            var dims = Array(1...rank)
            for index in stride(from: dims.count - 1, to: 0, by: -1) { dims.swapAt(index, choices.int(in: 0...index)) }
            return LayerDraft(className, [("dims", .ints(dims))], output: dims.map { shape[$0 - 1] })
        case "GroupNormalization":
            guard rank >= 2, let channels = shape.last else { return nil }
            let groups = choices.element(of: (1...channels).filter { channels % $0 == 0 })
            return LayerDraft(className, [("groups", .int(groups)), ("epsilon", .double(1e-3)), ("center", .bool(choices.bool(0.8))),
                                          ("scale", .bool(choices.bool(0.8)))], output: shape)
        case "Reshape":
            let total = shape.reduce(1, *)
            let target: [Int]
            if rank >= 2 { target = [total] } else {
                let divisors = (1...total).filter { total % $0 == 0 }
                let first = choices.element(of: divisors)
                target = [first, total / first]
            }
            return LayerDraft(className, [("target_shape", .ints(target))], output: target)
        case "RepeatVector":
            guard rank == 1 else { return nil }
            let count = choices.int(in: 1...4)
            return LayerDraft(className, [("n", .int(count))], output: [count] + shape)
        case "EinsumDense":
            let units = choices.int(in: 1...settings.maxUnits)
            let bias = choices.bool(0.6)
            var draft: LayerDraft
            if rank == 1 {
                draft = LayerDraft(className, weighted(&choices, [("equation", .string("ab,bc->ac")), ("output_shape", .ints([units])),
                                                                  ("activation", .string(activation(&choices))),
                                                                  ("bias_axes", bias ? .string("c") : .null)], kernels: ["kernel"], biases: ["bias"]),
                                   output: [units])
            } else {
                guard rank == 2 else { return nil }
                draft = LayerDraft(className, weighted(&choices, [("equation", .string("abc,cd->abd")), ("output_shape", .ints([shape[0], units])),
                                                                  ("activation", .string(activation(&choices))),
                                                                  ("bias_axes", bias ? .string("d") : .null)], kernels: ["kernel"], biases: ["bias"]),
                                   output: [shape[0], units])
            }
            draft.quantization = quantization(&choices, rows: shape.last ?? 1)
            return draft
        case "Embedding":
            return nil
        case "SimpleRNN", "LSTM", "GRU":
            guard rank == 2 else { return nil }
            return recurrent(className, shape: shape, choices: &choices)
        case "Bidirectional":
            guard rank == 2 else { return nil }
            let inner = choices.element(of: ["SimpleRNN", "LSTM", "GRU"])
            guard let forward = recurrent(inner, shape: shape, choices: &choices) else { return nil }
            let mode = choices.element(of: ["concat", "sum", "mul", "ave"])
            let name = "bidirectional"
            let forwardEnvelope = templates.layer(inner).settingConfig(forward.config + [("name", .string("forward_" + name))])
            let goesBackwards = forward.config.first { $0.0 == "go_backwards" }?.1.boolValue ?? false
            let backwardEnvelope = forwardEnvelope.settingConfig([("name", .string("backward_" + name)), ("go_backwards", .bool(!goesBackwards))])
            var output = forward.outputShape
            if mode == "concat" { output[output.count - 1] *= 2 }
            return LayerDraft(className, [("merge_mode", .string(mode)), ("layer", forwardEnvelope), ("backward_layer", backwardEnvelope)],
                              output: output)
        case "TimeDistributed":
            guard rank == 2 else { return nil }
            guard let inner = draw("Dense", input: [shape[1]], choices: &choices) else { return nil }
            let envelope = templates.layer("Dense").settingConfig(inner.config + [("name", .string("dense_in_time"))])
                .setting("build_config", .object(JSONObject([("input_shape", .batchShape([shape[1]]))])))
            return LayerDraft(className, [("layer", envelope)], output: [shape[0]] + inner.outputShape)
        case "MultiHeadAttention":
            guard rank == 2 else { return nil }
            let heads = choices.int(in: 1...3)
            let keyDim = choices.int(in: 1...4)
            var draft = LayerDraft(className, weighted(&choices, [("num_heads", .int(heads)), ("key_dim", .int(keyDim)),
                                                                  ("value_dim", choices.bool(0.5) ? .int(choices.int(in: 1...4)) : .null),
                                                                  ("use_bias", .bool(choices.bool(0.8)))], kernels: ["kernel"], biases: ["bias"]),
                                   output: shape)
            draft.arguments = .positional
            draft.buildConfig = .object(JSONObject([("shapes_dict", .object(JSONObject([("query_shape", .batchShape(shape)),
                                                                                        ("value_shape", .batchShape(shape))])))]))
            return draft
        case "Attention":
            guard rank == 2 else { return nil }
            var draft = LayerDraft(className, [("use_scale", .bool(choices.bool(0.5))), ("score_mode", .string(choices.element(of: ["dot", "concat"])))],
                                   output: shape)
            draft.arguments = .list
            if choices.bool(0.3) { draft.kwargs = [("use_causal_mask", .bool(true))] }
            return draft
        default:
            return spatial(className, shape: shape, choices: &choices)
        }
    }

    /// A merge of `inputs` (two or more shapes), or nil when their shapes do not fit `className`.
    func drawMerge(_ className: String, inputs: [[Int]], choices: inout Choices) -> LayerDraft? {
        guard inputs.count >= 2, let first = inputs.first else { return nil }
        var draft: LayerDraft
        switch className {
        case "Subtract":
            guard inputs.count == 2, inputs[1] == first else { return nil }
            draft = LayerDraft(className, output: first)
        case "Add", "Multiply", "Average", "Maximum", "Minimum":
            guard inputs.allSatisfy({ $0 == first }) else { return nil }
            draft = LayerDraft(className, output: first)
        case "Concatenate":
            guard inputs.allSatisfy({ $0.count == first.count && $0.dropLast() == first.dropLast() }) else { return nil }
            draft = LayerDraft(className, [("axis", .int(-1))], output: first.dropLast() + [inputs.map { $0.last ?? 0 }.reduce(0, +)])
        case "Dot":
            guard inputs.count == 2, inputs[1] == first, first.count <= 2 else { return nil }
            let normalize = choices.bool(0.3)
            if first.count == 1 {
                draft = LayerDraft(className, [("axes", .int(-1)), ("normalize", .bool(normalize))], output: [1])
            } else {
                draft = LayerDraft(className, [("axes", .int(2)), ("normalize", .bool(normalize))], output: [first[0], first[0]])
            }
        default:
            return nil
        }
        draft.arguments = .list
        return draft
    }

    /// An Embedding on an integer input of `shape` whose values are below `vocabulary`.
    func drawEmbedding(input shape: [Int], vocabulary: Int, choices: inout Choices) -> LayerDraft {
        let dimension = choices.int(in: 1...settings.maxUnits)
        return LayerDraft("Embedding", [("input_dim", .int(vocabulary)), ("output_dim", .int(dimension))], output: shape + [dimension])
    }

    // MARK: Families

    private func recurrent(_ className: String, shape: [Int], choices: inout Choices) -> LayerDraft? {
        let units = choices.int(in: 1...settings.maxUnits)
        let sequences = choices.bool(0.5)
        var config: [(String, JSONValue)] = [("units", .int(units)), ("return_sequences", .bool(sequences)),
                                             ("go_backwards", .bool(choices.bool(0.2))),
                                             ("activation", .string(choices.element(of: ["tanh", "tanh", "relu", "sigmoid"]))),
                                             ("use_bias", .bool(choices.bool(0.8)))]
        if className != "SimpleRNN" { config.append(("recurrent_activation", .string(choices.element(of: ["sigmoid", "sigmoid", "hard_sigmoid"])))) }
        if className == "GRU" { config.append(("reset_after", .bool(choices.bool(0.7)))) }
        if className == "LSTM" { config.append(("unit_forget_bias", .bool(choices.bool(0.8)))) }
        return LayerDraft(className, weighted(&choices, config, kernels: ["kernel", "recurrent"], biases: ["bias"]),
                          output: sequences ? [shape[0], units] : [units])
    }

    /// Convolutions, pooling, padding, cropping and upsampling of rank 1, 2 or 3 (input ranks 2 to 4).
    private func spatial(_ className: String, shape: [Int], choices: inout Choices) -> LayerDraft? {
        guard let suffix = ["1D", "2D", "3D"].first(where: { className.contains($0) }) else { return nil }
        let spatialRank = suffix == "1D" ? 1 : suffix == "2D" ? 2 : 3
        guard shape.count == spatialRank + 1 else { return nil }
        let sizes = Array(shape.dropLast())
        let channels = shape[spatialRank]
        func tuple(_ values: [Int]) -> JSONValue { .ints(values) }

        if className.hasPrefix("Conv") || className.hasPrefix("DepthwiseConv") || className.hasPrefix("SeparableConv") {
            let transposed = className.hasSuffix("Transpose")
            let kernel = sizes.map { choices.int(in: 1...min(3, $0)) }
            var strides = [Int](repeating: choices.int(in: 1...2), count: spatialRank)
            var dilation = [Int](repeating: 1, count: spatialRank)
            if !transposed, strides[0] == 1, choices.bool(0.3) { dilation = [Int](repeating: 2, count: spatialRank) }
            if dilation[0] > 1 { strides = [Int](repeating: 1, count: spatialRank) }
            var paddings = ["valid", "same"]
            if className == "Conv1D" { paddings.append("causal") }
            let padding = choices.element(of: paddings)
            var output: [Int] = []
            for axis in 0..<spatialRank {
                let span = dilation[axis] * (kernel[axis] - 1) + 1
                if transposed {
                    output.append(padding == "valid" ? sizes[axis] * strides[axis] + max(kernel[axis] - strides[axis], 0) : sizes[axis] * strides[axis])
                } else if padding == "valid" {
                    guard sizes[axis] >= span else { return nil }
                    output.append((sizes[axis] - span) / strides[axis] + 1)
                } else {
                    output.append((sizes[axis] + strides[axis] - 1) / strides[axis])
                }
            }
            var config: [(String, JSONValue)] = [("kernel_size", tuple(kernel)), ("strides", tuple(strides)), ("padding", .string(padding)),
                                                 ("dilation_rate", tuple(dilation)), ("activation", .string(activation(&choices))),
                                                 ("use_bias", .bool(choices.bool(0.8)))]
            var outChannels: Int
            var kernels = ["kernel"]
            if className.hasPrefix("DepthwiseConv") {
                let multiplier = choices.int(in: 1...2)
                config.append(("depth_multiplier", .int(multiplier)))
                outChannels = channels * multiplier
                kernels = ["depthwise"]
            } else if className.hasPrefix("SeparableConv") {
                let multiplier = choices.int(in: 1...2)
                outChannels = choices.int(in: 1...settings.maxUnits)
                config += [("depth_multiplier", .int(multiplier)), ("filters", .int(outChannels))]
                kernels = ["depthwise", "pointwise"]
            } else {
                outChannels = choices.int(in: 1...settings.maxUnits)
                if !transposed, channels > 1, choices.bool(0.2) {
                    let groups = choices.element(of: (1...channels).filter { channels % $0 == 0 })
                    outChannels = groups * max(1, outChannels / groups)
                    config.append(("groups", .int(groups)))
                }
                config.append(("filters", .int(outChannels)))
            }
            guard output.allSatisfy({ $0 >= 1 }) else { return nil }
            return LayerDraft(className, weighted(&choices, config, kernels: kernels, biases: ["bias"]), output: output + [outChannels])
        }
        if className.hasPrefix("Global") {
            let keep = choices.bool(0.3)
            return LayerDraft(className, [("keepdims", .bool(keep))],
                              output: keep ? [Int](repeating: 1, count: spatialRank) + [channels] : [channels])
        }
        if className.hasPrefix("MaxPooling") || className.hasPrefix("AveragePooling") {
            let pool = sizes.map { choices.int(in: 1...min(3, $0)) }
            let strides = choices.bool(0.5) ? pool : sizes.map { _ in choices.int(in: 1...2) }
            let padding = choices.element(of: ["valid", "same"])
            var output: [Int] = []
            for axis in 0..<spatialRank {
                output.append(padding == "valid" ? (sizes[axis] - pool[axis]) / strides[axis] + 1 : (sizes[axis] + strides[axis] - 1) / strides[axis])
            }
            guard output.allSatisfy({ $0 >= 1 }) else { return nil }
            return LayerDraft(className, [("pool_size", tuple(pool)), ("strides", tuple(strides)), ("padding", .string(padding))],
                              output: output + [channels])
        }
        if className.hasPrefix("ZeroPadding") {
            let pads = sizes.map { _ in [choices.int(in: 0...2), choices.int(in: 0...2)] }
            let value: JSONValue = spatialRank == 1 ? .ints(pads[0]) : .array(pads.map { .ints($0) })
            return LayerDraft(className, [("padding", value)], output: zip(sizes, pads).map { $0 + $1[0] + $1[1] } + [channels])
        }
        if className.hasPrefix("Cropping") {
            var crops: [[Int]] = []
            for size in sizes {
                let before = choices.int(in: 0...max(0, (size - 1) / 2))
                crops.append([before, choices.int(in: 0...max(0, size - 1 - before) / 2)])
            }
            let value: JSONValue = spatialRank == 1 ? .ints(crops[0]) : .array(crops.map { .ints($0) })
            let output = zip(sizes, crops).map { $0 - $1[0] - $1[1] }
            guard output.allSatisfy({ $0 >= 1 }) else { return nil }
            return LayerDraft(className, [("cropping", value)], output: output + [channels])
        }
        if className.hasPrefix("UpSampling") {
            let factors = sizes.map { _ in choices.int(in: 1...3) }
            let key = spatialRank == 1 ? "size" : "size"
            let value: JSONValue = spatialRank == 1 ? .int(factors[0]) : .ints(factors)
            return LayerDraft(className, [(key, value)], output: zip(sizes, factors).map { $0 * $1 } + [channels])
        }
        if className.hasPrefix("SpatialDropout") {
            return LayerDraft(className, [("rate", .double(Double(choices.int(in: 0...9)) / 10))], output: shape)
        }
        return nil
    }

    // MARK: Quantization

    /// The share of Dense and EinsumDense draws that are quantized (default 0.1; applied in float32 models).
    static let quantizedShare = 0.1

    /// Sometimes (``quantizedShare``) the dtype policy and `quantization_config` of a quantized layer whose
    /// kernel reduces `rows` inputs, from the templates of `layer.quantize(mode)`: int8 (default config,
    /// or weight-only with no inputs quantizer); int4 with block size 128 (Keras's default), -1 (per
    /// channel, sometimes with `AbsMaxQuantizer` on the inputs) or a small block; float8 with an amax
    /// history of 1, 4, 16 or 1024 steps.
    private func quantization(_ choices: inout Choices, rows: Int) -> [(String, JSONValue)]? {
        guard choices.bool(Self.quantizedShare) else { return nil }
        let mode = choices.element(of: ["int8", "int4", "float8"])
        var policy = templates.object("quantization", mode + "_policy")
        var config = templates.object("quantization", mode + "_config")
        switch mode {
        case "int8":
            if choices.bool(0.3) { config = config.settingConfig([("activation_quantizer", .null)]) }
        case "int4":
            let small = choices.int(in: 1...max(1, rows))
            let block = choices.element(of: [128, -1, small])
            policy = policy.settingConfig([("mode", .string("int4/\(block)"))])
            config = config.settingConfig([("block_size", .int(block))])
            if block == -1, choices.bool(0.5) { config = config.settingConfig([("activation_quantizer", templates.object("quantization", "abs_max_quantizer"))]) }
        default:
            policy = policy.settingConfig([("amax_history_length", .int(choices.element(of: [1, 4, 16, 1024])))])
        }
        return [("dtype", policy), ("quantization_config", config)]
    }

    // MARK: Hyperparameters

    private func activation(_ choices: inout Choices) -> String {
        choices.bool(0.4) ? "linear" : choices.element(of: Self.activations)
    }

    /// `config` plus, sometimes, initializers, regularizers and constraints for the named kernels and biases
    /// (they change nothing at inference; they exercise the config's object envelopes).
    private func weighted(_ choices: inout Choices, _ config: [(String, JSONValue)], kernels: [String], biases: [String]) -> [(String, JSONValue)] {
        var result = config
        guard choices.bool(settings.objectProbability) else { return result }
        for kernel in kernels {
            if choices.bool(0.5) { result.append(("\(kernel)_initializer", initializer(&choices))) }
            if choices.bool(0.3) { result.append(("\(kernel)_regularizer", regularizer(&choices))) }
            if choices.bool(0.3) { result.append(("\(kernel)_constraint", constraint(&choices))) }
        }
        for bias in biases {
            if choices.bool(0.3) { result.append(("\(bias)_initializer", initializer(&choices))) }
            if choices.bool(0.2) { result.append(("\(bias)_regularizer", regularizer(&choices))) }
        }
        return result
    }

    private func initializer(_ choices: inout Choices) -> JSONValue {
        let name = choices.element(of: templates.names("initializers").filter { $0 != "Identity" && $0 != "Orthogonal" })
        var envelope = templates.object("initializers", name)
        if envelope["config"]?["seed"] != nil, choices.bool(0.5) { envelope = envelope.settingConfig([("seed", .int(choices.int(in: 0...9999)))]) }
        return envelope
    }

    private func regularizer(_ choices: inout Choices) -> JSONValue {
        let name = choices.element(of: ["L1", "L2", "L1L2"])
        let envelope = templates.object("regularizers", name)
        let amount = JSONValue.double(Double(choices.int(in: 1...100)) / 10000)
        switch name {
        case "L1": return envelope.settingConfig([("l1", amount)])
        case "L2": return envelope.settingConfig([("l2", amount)])
        default: return envelope.settingConfig([("l1", amount), ("l2", amount)])
        }
    }

    private func constraint(_ choices: inout Choices) -> JSONValue {
        let name = choices.element(of: templates.names("constraints"))
        let envelope = templates.object("constraints", name)
        return name == "MaxNorm" ? envelope.settingConfig([("max_value", .double(Double(choices.int(in: 1...4))))]) : envelope
    }
}
