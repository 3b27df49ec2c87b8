import KerasBytes
import KerasJSON

/// The variables a model config declares, derived from the config's own numbers without building
/// anything: each layer's `build_config` input shape and its fields (`units`, `filters`, `kernel_size`,
/// ...), as Keras's `build` methods create variables (and as the reference core mirrors them).
///
/// Objects get the paths Keras saves them at (FORMAT.md 4.1, `_walk_saveable`): a model's `layers`
/// container (Sequential without its InputLayer, Functional without recorded ops), each layer named
/// `snake_case(ClassName)` with a per-container counter, then child attributes (`cell`, `forward_layer`,
/// `query_dense`). A layer whose class kconform does not model, or whose input shape is unknown, gets
/// `shapes == nil` and is not compared. Legacy configs without `build_config` are built by running the
/// model once; for a Sequential chain of the simple layers listed in ``dryRunClasses`` the shapes are
/// propagated here the same way, so that the run's cost is known before it happens.
public struct DeclaredVariables: Sendable {
    /// Every object with variables, or whose variables kconform cannot derive, in save order.
    public private(set) var objects: [DeclaredObject] = []
    /// Whether building needs the zero-input run: a layer that is not an InputLayer or a model has no
    /// usable `build_config`.
    public private(set) var needsDryRun = false
    /// For a config that needs the run: the larger of its largest tensor (batch 1) and the sum of the
    /// variables it creates, in elements, when the whole run could be followed; nil when it could not.
    public private(set) var dryRunLargestTensor: Int?
    /// A variable whose shape has a negative dimension or whose size overflows, when one does: its
    /// object and shape. Such a config cannot be built.
    public private(set) var impossible: (object: DeclaredObject, shape: [Int])?

    /// Recorded `keras.ops` operations whose output has no more elements than their broadcast inputs.
    static let elementwiseOps: Set<String> = [
        "Add", "Subtract", "Multiply", "Divide", "TrueDivide", "Maximum", "Minimum", "Negative", "Abs", "Square", "Sqrt",
        "Exp", "Log", "Power", "Relu", "Sigmoid", "Tanh", "Softmax", "Clip", "Cast",
    ]

    /// Layer classes whose output shape the dry-run estimate follows in a Sequential chain.
    public static let dryRunClasses: Set<String> = [
        "Dense", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout", "GaussianDropout",
        "GaussianNoise", "ActivityRegularization", "Identity", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax",
        "BatchNormalization", "LayerNormalization", "Flatten",
    ]

    /// The largest shape the config states (InputLayer shapes, `build_config` shapes; batch 1), in elements.
    private var largestStated = 1
    /// How much the variable-free layers without `build_config` may multiply a tensor's elements.
    private var amplification = 1
    /// Whether a layer without `build_config` may create variables or grow tensors in ways not bounded here.
    private var unfollowed = false

    /// Derives the variables `config` declares.
    public init(_ config: ModelConfig) {
        visit(config.root, path: "")
        guard needsDryRun else { return }
        if !unfollowed, let bound = Checked.multiply(largestStated, amplification) {
            dryRunLargestTensor = bound
        } else {
            dryRunLargestTensor = Self.followDryRun(config.root)
        }
    }

    /// Notes a stated shape (batch 1) for the dry-run bound.
    private mutating func state(_ shape: [Int?]) {
        largestStated = max(largestStated, Checked.product(shape.map { max($0 ?? 1, 0) }) ?? Int.max)
    }

    /// Notes a layer without `build_config`, which the zero-input run builds: variable-free classes may
    /// still grow a tensor (`UpSampling` by its sizes, `RepeatVector` by `n`, `ZeroPadding` by at most
    /// `1 + 2 * padding` per axis, `Dot` by at most the largest stated shape).
    private mutating func unbuilt(_ envelope: ObjectEnvelope) {
        let name = envelope.className
        guard Self.isKeras(envelope), !DeclaredLayerShapes.withVariables.contains(name) else {
            unfollowed = true
            return
        }
        // A Keras class kconform has no math for (IntegerLookup, ...) loads with its stored variables, and
        // the run stops at it.
        guard DeclaredLayerShapes.variableFree.contains(name) else { return }
        var factor = 1
        func integers(_ value: JSONValue?) -> [Int] {
            guard let value else { return [] }
            if let single = value.intValue { return [single] }
            return value.arrayValue?.flatMap { integers($0) } ?? []
        }
        if name.hasPrefix("UpSampling") {
            factor = Checked.product(integers(envelope.config["size"]).map { max($0, 1) }) ?? Int.max
        } else if name == "RepeatVector" {
            factor = max(envelope.config["n"]?.intValue ?? Int.max, 1)
        } else if name.hasPrefix("ZeroPadding") {
            factor = Checked.product(integers(envelope.config["padding"]).map { Checked.add(Checked.multiply(max($0, 0), 2) ?? Int.max, 1) ?? Int.max }) ?? Int.max
        } else if name == "Dot" {
            factor = largestStated
        }
        amplification = Checked.multiply(amplification, factor) ?? Int.max
    }

    /// Every declared element, or nil when a variable's size overflows or is negative.
    public var totalElements: Int? {
        var total = 0
        for object in objects {
            for shape in object.shapes ?? [] {
                guard let count = Checked.product(shape), let sum = Checked.add(total, count) else { return nil }
                total = sum
            }
        }
        return total
    }

    // MARK: Traversal

    private static func isKeras(_ envelope: ObjectEnvelope) -> Bool {
        let module = envelope.module ?? "keras.layers"
        return module == "keras" || module.hasPrefix("keras.")
    }

    private static func join(_ path: String, _ component: String) -> String { path.isEmpty ? component : path + "/" + component }

    private mutating func visit(_ envelope: ObjectEnvelope, path: String) {
        if let entries = envelope.config["layers"]?.arrayValue, Self.isKeras(envelope),
           ["Sequential", "Functional", "Model"].contains(envelope.className) {
            record(envelope, path: path, shapes: [])
            var counters: [String: Int] = [:]
            let layersPointer = JSONPointer.appending(JSONPointer.appending(envelope.pointer, "config"), "layers")
            for (index, entry) in entries.enumerated() {
                guard let layer = ObjectEnvelope(entry, pointer: JSONPointer.appending(layersPointer, index)) else { continue }
                if envelope.className == "Sequential", layer.className == "InputLayer" { continue }
                if (layer.module ?? "").hasPrefix("keras.src.ops.") {
                    if !Self.elementwiseOps.contains(layer.className) { unfollowed = true }
                    continue
                }
                let base = KerasNaming.snakeCase(layer.className)
                let count = counters[base, default: 0]
                counters[base] = count + 1
                visit(layer, path: Self.join(Self.join(path, "layers"), count == 0 ? base : "\(base)_\(count)"))
            }
            return
        }
        let input = Self.buildShapes(envelope)
        input?.forEach { state($0) }
        if envelope.className == "InputLayer" {
            if let declared = envelope.config["batch_shape"] ?? envelope.config["batch_input_shape"], let shape = Self.shape(declared) { state(shape) }
        } else if input == nil {
            needsDryRun = true
            unbuilt(envelope)
        }
        layer(envelope, path: path, input: input)
    }

    /// The shapes of `build_config`: `input_shape` (one shape or a list), or the values of `shapes_dict`.
    static func buildShapes(_ envelope: ObjectEnvelope) -> [[Int?]]? {
        guard let build = envelope.buildConfig else { return nil }
        if let dict = build["shapes_dict"]?.objectValue {
            var shapes: [[Int?]] = []
            for (_, value) in dict {
                guard let shape = shape(value) else { return nil }
                shapes.append(shape)
            }
            return shapes
        }
        guard let input = build["input_shape"], let list = input.arrayValue else { return nil }
        if list.contains(where: { $0.arrayValue != nil }) {
            var shapes: [[Int?]] = []
            for item in list {
                guard let shape = shape(item) else { return nil }
                shapes.append(shape)
            }
            return shapes
        }
        return shape(input).map { [$0] }
    }

    private static func shape(_ value: JSONValue) -> [Int?]? {
        guard let list = value.arrayValue else { return nil }
        var shape: [Int?] = []
        for item in list {
            if item.isNull { shape.append(nil) } else if let size = item.intValue { shape.append(size) } else { return nil }
        }
        return shape
    }

    private mutating func record(_ envelope: ObjectEnvelope, path: String, shapes: [[Int]]?) {
        let object = DeclaredObject(path: path, pointer: envelope.pointer, className: envelope.className, shapes: shapes)
        objects.append(object)
        if impossible == nil, let bad = shapes?.first(where: { Checked.product($0) == nil }) { impossible = (object, bad) }
    }

    /// A non-model layer: its own variables, then its children (wrapped layers, cells, projections).
    private mutating func layer(_ envelope: ObjectEnvelope, path: String, input: [[Int?]]?) {
        guard Self.isKeras(envelope) else {
            record(envelope, path: path, shapes: nil)
            return
        }
        let config = envelope.config
        switch envelope.className {
        case "Bidirectional":
            record(envelope, path: path, shapes: [])
            let layerValue = config["layer"]
            let backwardValue = config["backward_layer"].flatMap { $0.isNull ? nil : $0 } ?? layerValue
            let configPointer = JSONPointer.appending(envelope.pointer, "config")
            let backwardKey = config["backward_layer"].map { !$0.isNull } == true ? "backward_layer" : "layer"
            for (attribute, value, key) in [("backward_layer", backwardValue, backwardKey), ("forward_layer", layerValue, "layer")] {
                guard let value, let inner = ObjectEnvelope(value, pointer: JSONPointer.appending(configPointer, key)) else { continue }
                layer(inner, path: Self.join(path, attribute), input: input.map { Array($0.prefix(1)) })
            }
        case "TimeDistributed":
            record(envelope, path: path, shapes: [])
            guard let value = config["layer"],
                  let inner = ObjectEnvelope(value, pointer: JSONPointer.appending(JSONPointer.appending(envelope.pointer, "config"), "layer"))
            else { return }
            if ["Sequential", "Functional", "Model"].contains(inner.className) {
                record(inner, path: Self.join(path, "layer"), shapes: nil)
                return
            }
            var step: [[Int?]]?
            if let shape = input?.first, shape.count >= 3 { step = [[shape[0]] + shape[2...]] }
            layer(inner, path: Self.join(path, "layer"), input: step)
        case "SimpleRNN", "LSTM", "GRU":
            record(envelope, path: path, shapes: [])
            var cellInput: [[Int?]]?
            if let shape = input?.first, shape.count == 3 { cellInput = [[shape[0], shape[2]]] }
            let cell = DeclaredLayerShapes(className: envelope.className + "Cell", config: config, input: cellInput)
            record(envelope, path: Self.join(path, "cell"), shapes: cell.shapes)
        case "MultiHeadAttention":
            record(envelope, path: path, shapes: [])
            for (attribute, shapes) in DeclaredLayerShapes.multiHeadAttention(config, build: envelope.buildConfig) {
                record(envelope, path: Self.join(path, attribute), shapes: shapes)
            }
        default:
            record(envelope, path: path, shapes: DeclaredLayerShapes(className: envelope.className, config: config, input: input).shapes)
        }
    }

    // MARK: Dry run

    /// Follows the zero-input run of a legacy Sequential chain: the largest tensor in elements (batch 1),
    /// or nil when a layer's output shape is not followed here.
    private static func followDryRun(_ root: ObjectEnvelope) -> Int? {
        guard root.className == "Sequential", let entries = root.config["layers"]?.arrayValue else { return nil }
        var shape: [Int]?
        if let build = root.config["build_input_shape"], let declared = Self.shape(build) { shape = declared.map { $0 ?? 1 } }
        var largest = 0
        var kernels = 0
        func note(_ shape: [Int]) -> Bool {
            guard let count = Checked.product(shape) else { return false }
            largest = max(largest, count)
            return true
        }
        for entry in entries {
            guard let layer = ObjectEnvelope(entry, pointer: ""), isKeras(layer) else { return nil }
            if layer.className == "InputLayer" {
                let declared = layer.config["batch_shape"] ?? layer.config["batch_input_shape"]
                guard let declared, let input = Self.shape(declared) else { return nil }
                shape = input.map { $0 ?? 1 }
            } else {
                guard dryRunClasses.contains(layer.className), let current = shape, !current.isEmpty else { return nil }
                switch layer.className {
                case "Dense":
                    guard let units = layer.config["units"]?.intValue else { return nil }
                    shape = current.dropLast() + [units]
                    guard let kernel = Checked.multiply(current[current.count - 1], units), kernel >= 0,
                          let sum = Checked.add(kernels, kernel) else { return nil }
                    kernels = sum
                case "Flatten":
                    guard let rest = Checked.product(current.dropFirst()) else { return nil }
                    shape = [current[0], rest]
                default:
                    break
                }
            }
            guard let current = shape, note(current) else { return nil }
        }
        return shape == nil ? nil : max(largest, kernels)
    }
}
