import KerasJSON

/// The variable shapes one built-in layer creates in `build`, from its config and its input shapes,
/// in save order (Keras's `build` methods; the reference core's `makeVariables` mirrors them).
///
/// ``shapes`` is nil when the class is not modelled here or a shape it needs is unknown; `[]` for
/// classes that have no variables.
struct DeclaredLayerShapes {
    /// The variable shapes, or nil when they cannot be derived.
    let shapes: [[Int]]?

    /// Built-in classes without variables.
    static let variableFree: Set<String> = {
        var names: Set<String> = [
            "InputLayer", "Activation", "ReLU", "Flatten", "Reshape", "Concatenate", "Rescaling", "Permute", "RepeatVector",
            "Dot", "UnitNormalization", "LeakyReLU", "ELU", "Softmax", "CustomScaleLayer", "StochasticDepth", "Dropout",
            "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout", "GaussianDropout", "GaussianNoise",
            "ActivityRegularization", "Identity", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
        ]
        for rank in ["1D", "2D", "3D"] {
            for prefix in ["MaxPooling", "AveragePooling", "ZeroPadding", "Cropping", "UpSampling", "GlobalAveragePooling", "GlobalMaxPooling"] {
                names.insert(prefix + rank)
            }
        }
        return names
    }()

    /// Built-in classes whose variables are derived here (and wrappers whose children have some).
    static let withVariables: Set<String> = [
        "Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "DepthwiseConv1D",
        "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D", "BatchNormalization", "LayerNormalization",
        "GroupNormalization", "Normalization", "Embedding", "LayerScale", "PReLU", "Attention", "SimpleRNN", "LSTM", "GRU",
        "EinsumDense", "MultiHeadAttention", "Bidirectional", "TimeDistributed", "Sequential", "Functional", "Model",
    ]

    init(className: String, config: JSONValue, input: [[Int?]]?) {
        shapes = Self.derive(className, Fields(config), input)
    }

    /// Typed reads of config fields with Keras's defaults; nil on a wrong type.
    struct Fields {
        let config: JSONValue
        init(_ config: JSONValue) { self.config = config }

        func value(_ key: String) -> JSONValue? {
            guard let field = config[key], !field.isNull else { return nil }
            return field
        }
        func int(_ key: String, _ fallback: Int? = nil) -> Int? { value(key).map { $0.intValue } ?? fallback }
        func bool(_ key: String, _ fallback: Bool) -> Bool? { value(key).map { $0.boolValue } ?? fallback }
        func string(_ key: String, _ fallback: String) -> String? { value(key).map { $0.stringValue } ?? fallback }
        /// An integer repeated `count` times, or a list of `count` integers (`standardize_tuple`).
        func ints(_ key: String, count: Int) -> [Int]? {
            guard let field = value(key) else { return nil }
            if let single = field.intValue { return [Int](repeating: single, count: count) }
            guard let list = field.arrayValue, list.count == count else { return nil }
            let values = list.compactMap(\.intValue)
            return values.count == count ? values : nil
        }
        /// An integer or a list of integers.
        func axes(_ key: String, _ fallback: [Int]) -> [Int]? {
            guard let field = value(key) else { return fallback }
            if let single = field.intValue { return [single] }
            guard let list = field.arrayValue else { return nil }
            let values = list.compactMap(\.intValue)
            return values.count == list.count ? values : nil
        }
    }

    private static func resolve(_ axis: Int, rank: Int) -> Int? {
        let resolved = axis < 0 ? axis + rank : axis
        return resolved >= 0 && resolved < rank ? resolved : nil
    }

    private static func known(_ shape: [Int?]) -> [Int]? {
        let values = shape.compactMap { $0 }
        return values.count == shape.count ? values : nil
    }

    /// The input shape with channels last (`data_format: channels_first` moves axis 1 to the end).
    private static func channelsLast(_ fields: Fields, _ input: [[Int?]]?) -> [Int?]? {
        guard let input, input.count == 1, let format = fields.string("data_format", "channels_last") else { return nil }
        let shape = input[0]
        if format == "channels_first", shape.count >= 3 { return [shape[0]] + shape[2...] + [shape[1]] }
        return shape
    }

    private static func spatialRank(_ className: String) -> Int {
        className.contains("1D") ? 1 : className.contains("3D") ? 3 : 2
    }

    private static func derive(_ className: String, _ fields: Fields, _ input: [[Int?]]?) -> [[Int]]? {
        if variableFree.contains(className) { return [] }
        let last = input.flatMap { $0.count == 1 ? $0[0].last ?? nil : nil }
        switch className {
        case "Dense":
            guard let last, let units = fields.int("units"), let bias = fields.bool("use_bias", true) else { return nil }
            switch QuantizedPolicy.of(layerConfig: fields.config) {
            case nil: return [[last, units]] + (bias ? [[units]] : [])
            case .success(let policy): return policy.denseShapes(inputs: last, units: units, bias: bias)
            case .failure: return nil
            }
        case "Conv1D", "Conv2D", "Conv3D":
            let rank = spatialRank(className)
            guard let channels = channelsLast(fields, input)?.last ?? nil, let filters = fields.int("filters"),
                  let groups = fields.int("groups", 1), groups > 0, channels % groups == 0,
                  let kernel = fields.ints("kernel_size", count: rank), let bias = fields.bool("use_bias", true) else { return nil }
            return [kernel + [channels / groups, filters]] + (bias ? [[filters]] : [])
        case "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose":
            let rank = spatialRank(className)
            guard let channels = channelsLast(fields, input)?.last ?? nil, let filters = fields.int("filters"),
                  let kernel = fields.ints("kernel_size", count: rank), let bias = fields.bool("use_bias", true) else { return nil }
            return [kernel + [filters, channels]] + (bias ? [[filters]] : [])
        case "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D":
            let rank = spatialRank(className)
            guard let channels = channelsLast(fields, input)?.last ?? nil, let multiplier = fields.int("depth_multiplier", 1),
                  let kernel = fields.ints("kernel_size", count: rank), let bias = fields.bool("use_bias", true) else { return nil }
            let (depth, overflow) = channels.multipliedReportingOverflow(by: multiplier)
            guard !overflow else { return nil }
            if className.hasPrefix("Separable") {
                guard let filters = fields.int("filters") else { return nil }
                return [kernel + [channels, multiplier], [Int](repeating: 1, count: rank) + [depth, filters]] + (bias ? [[filters]] : [])
            }
            return [kernel + [channels, multiplier]] + (bias ? [[depth]] : [])
        case "BatchNormalization":
            guard let shape = input?.first, let axis = fields.int("axis", -1) else { return nil }
            let resolved = axis < 0 ? axis + shape.count : axis
            guard resolved >= 0, resolved < shape.count, let channels = shape[resolved],
                  let scale = fields.bool("scale", true), let center = fields.bool("center", true) else { return nil }
            return (scale ? [[channels]] : []) + (center ? [[channels]] : []) + [[channels], [channels]]
        case "LayerNormalization":
            guard let shape = input?.first, let requested = fields.axes("axis", [-1]) else { return nil }
            var axes: [Int] = []
            for axis in requested {
                guard let resolved = resolve(axis, rank: shape.count) else { return nil }
                axes.append(resolved)
            }
            guard let parameter = known(axes.sorted().map { shape[$0] }), let rms = fields.bool("rms_scaling", false),
                  let scale = fields.bool("scale", true), let center = fields.bool("center", true) else { return nil }
            return (scale || rms ? [parameter] : []) + (center && !rms ? [parameter] : [])
        case "GroupNormalization":
            guard let shape = input?.first, let axis = resolve(fields.int("axis", -1) ?? -1, rank: shape.count),
                  let channels = shape[axis], let scale = fields.bool("scale", true), let center = fields.bool("center", true) else { return nil }
            return (scale ? [[channels]] : []) + (center ? [[channels]] : [])
        case "Normalization":
            if fields.value("mean") != nil { return [] }
            guard let shape = input?.first else { return nil }
            let requested: [Int]?
            if fields.config["axis"] == nil { requested = [-1] } else if fields.value("axis") == nil { requested = [] } else { requested = fields.axes("axis", []) }
            guard let requested else { return nil }
            var axes: [Int] = []
            for axis in requested {
                guard let resolved = resolve(axis, rank: shape.count) else { return nil }
                axes.append(resolved)
            }
            guard let statistics = known(axes.sorted().map { shape[$0] }) else { return nil }
            return [statistics, statistics, []]
        case "Embedding":
            guard let rows = fields.int("input_dim"), let columns = fields.int("output_dim") else { return nil }
            return [[rows, columns]]
        case "LayerScale":
            return fields.int("projection_dim").map { [[$0]] }
        case "PReLU":
            guard let shape = input?.first, let parameter = known(Array(shape.dropFirst())), let shared = fields.axes("shared_axes", []) else { return nil }
            var result = parameter
            for axis in shared {
                guard axis >= 1, axis <= result.count else { return nil }
                result[axis - 1] = 1
            }
            return [result]
        case "Attention":
            guard let useScale = fields.bool("use_scale", false), let mode = fields.string("score_mode", "dot") else { return nil }
            return (useScale ? [[]] : []) + (mode == "concat" ? [[]] : [])
        case "SimpleRNNCell", "LSTMCell", "GRUCell":
            let gates = className == "LSTMCell" ? 4 : className == "GRUCell" ? 3 : 1
            guard let last, let units = fields.int("units"), let bias = fields.bool("use_bias", true),
                  let resetAfter = fields.bool("reset_after", true) else { return nil }
            let (width, overflow) = units.multipliedReportingOverflow(by: gates)
            guard !overflow else { return nil }
            let biasShape = className == "GRUCell" && resetAfter ? [2, width] : [width]
            return [[last, width], [units, width]] + (bias ? [biasShape] : [])
        case "EinsumDense":
            if QuantizedPolicy.of(layerConfig: fields.config) != nil { return nil }
            guard let shape = input?.first, input?.count == 1 else { return nil }
            return einsumDense(fields, shape)
        default:
            return nil
        }
    }

    /// `EinsumDense` kernel and bias shapes (`_analyze_einsum_string`, `_analyze_split_string`).
    static func einsumDense(_ fields: Fields, _ inputShape: [Int?]) -> [[Int]]? {
        guard let equation = fields.value("equation")?.stringValue else { return nil }
        let parts = equation.replacingOccurrences(of: "...", with: "0").components(separatedBy: "->")
        let operands = parts.first?.components(separatedBy: ",") ?? []
        guard parts.count == 2, operands.count == 2 else { return nil }
        var (inputSpec, weightSpec, outputSpec) = (operands[0], operands[1], parts[1])
        var leftElided = false
        if inputSpec.hasPrefix("0"), outputSpec.hasPrefix("0") {
            leftElided = true
            inputSpec.removeFirst()
            outputSpec.removeFirst()
        } else if inputSpec.hasSuffix("0"), outputSpec.hasSuffix("0") {
            inputSpec.removeLast()
            outputSpec.removeLast()
        }
        let (input, weight, out) = (Array(inputSpec), Array(weightSpec), Array(outputSpec))
        guard (input + weight + out).allSatisfy({ $0.isASCII && $0.isLetter }), let outputField = fields.value("output_shape") else { return nil }
        var outputShape: [Int?]
        if let single = outputField.intValue {
            outputShape = [single]
        } else if let list = outputField.arrayValue {
            outputShape = list.map(\.intValue)
        } else {
            return nil
        }
        let elided = inputShape.count - input.count
        outputShape.insert(inputShape.first ?? nil, at: 0)
        if elided > 0, leftElided {
            for index in 1..<max(elided, 1) { outputShape.insert(inputShape[index], at: 1) }
        } else if elided > 0 {
            outputShape += inputShape[(inputShape.count - elided)...]
        }
        func at(_ shape: [Int?], _ index: Int) -> Int?? { index >= 0 && index < shape.count ? .some(shape[index]) : nil }
        let offset = leftElided ? elided : 0
        var kernel: [Int] = []
        for label in weight {
            let size: Int??
            if let index = out.firstIndex(of: label) { size = at(outputShape, index + offset) } else if let index = input.firstIndex(of: label) {
                size = at(inputShape, index + offset)
            } else {
                return nil
            }
            guard let found = size, let dimension = found else { return nil }
            kernel.append(dimension)
        }
        guard let biasAxes = fields.value("bias_axes")?.stringValue else { return [kernel] }
        guard biasAxes.allSatisfy({ out.contains($0) }), let first = biasAxes.compactMap({ out.firstIndex(of: $0) }).min() else { return nil }
        var bias: [Int] = []
        for position in first..<out.count {
            guard biasAxes.contains(out[position]) else {
                bias.append(1)
                continue
            }
            guard let found = at(outputShape, position + offset), let dimension = found else { return nil }
            bias.append(dimension)
        }
        if !leftElided, elided > 0 { bias += [Int](repeating: 1, count: elided) }
        return [kernel, bias]
    }

    /// `MultiHeadAttention`'s projections in Keras's attribute order, each with its `[kernel, bias]` shapes
    /// (nil when a shape is unknown): `key_dense`, `output_dense`, `query_dense`, `value_dense`, `_gate_dense`.
    static func multiHeadAttention(_ config: JSONValue, build: JSONValue?) -> [(String, [[Int]]?)] {
        let fields = Fields(config)
        let shapes = build?["shapes_dict"]
        func features(_ key: String) -> Int? { shapes?[key]?.arrayValue?.last?.intValue }
        let names = ["key_dense", "output_dense", "query_dense", "value_dense"] + (fields.bool("use_gate", false) == true ? ["_gate_dense"] : [])
        guard let heads = fields.int("num_heads"), let keyDim = fields.int("key_dim"), let valueDim = fields.int("value_dim", keyDim),
              let bias = fields.bool("use_bias", true), let query = features("query_shape"), let value = features("value_shape") else {
            return names.map { ($0, nil) }
        }
        let key = shapes?["key_shape"] == nil ? value : features("key_shape")
        let outputDims = fields.value("output_shape").map { $0.intValue.map { [$0] } ?? $0.arrayValue?.compactMap(\.intValue) ?? [] } ?? [query]
        func projection(_ input: Int?, _ dims: [Int]) -> [[Int]]? { input.map { [[$0] + dims] + (bias ? [dims] : []) } }
        var result: [(String, [[Int]]?)] = [
            ("key_dense", projection(key, [heads, keyDim])),
            ("output_dense", [[heads, valueDim] + outputDims] + (bias ? [outputDims] : [])),
            ("query_dense", projection(query, [heads, keyDim])),
            ("value_dense", projection(value, [heads, valueDim])),
        ]
        if names.count == 5 { result.append(("_gate_dense", projection(query, [heads, valueDim]))) }
        return result
    }
}
