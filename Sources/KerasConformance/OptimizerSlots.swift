import KerasJSON

/// The layout of `/optimizer/vars` Keras 3.15.1 writes for one optimizer variant after training, read from
/// the `optimizer_slots` templates (``KerasTemplates``, derived by training a model in Keras): scalars
/// (`iteration`, the learning rate when it is a plain float, Nadam's `u_product`) and blocks that hold, for
/// each trainable variable in `model.trainable_variables` order, one slot per name with that variable's
/// shape and dtype.
public struct OptimizerSlots: Sendable {
    /// One entry of the layout.
    public enum Entry: Sendable, Equatable {
        /// A scalar; `dtype` nil means the dtype of the first trainable variable (`float32` without one).
        case scalar(name: String, dtype: String?, floatLearningRate: Bool, nonnegative: Bool)
        /// For each trainable variable, one variable per slot name, with its `nonnegative` flag.
        case eachVariable(slots: [(name: String, nonnegative: Bool)])

        public static func == (lhs: Entry, rhs: Entry) -> Bool {
            switch (lhs, rhs) {
            case let (.scalar(a, b, c, d), .scalar(e, f, g, h)): return a == e && b == f && c == g && d == h
            case let (.eachVariable(a), .eachVariable(b)): return a.map(\.name) == b.map(\.name) && a.map(\.nonnegative) == b.map(\.nonnegative)
            default: return false
            }
        }
    }

    /// One variable of a model's optimizer state.
    public struct Variable: Sendable, Equatable {
        /// Keras's variable name without the optimizer's scope (`dense_kernel_momentum`, `iteration`).
        public let name: String
        /// The stored dtype.
        public let dtype: String
        /// The shape (`[]` for scalars).
        public let shape: [Int]
        /// Whether Keras keeps its values non-negative (second moments, accumulators, norms).
        public let nonnegative: Bool
    }

    /// The variant's template name (`Adam_amsgrad`).
    public let key: String
    /// The optimizer class (`Adam`).
    public let className: String
    /// The config values that select this variant (`{"amsgrad": true}`).
    public let overrides: JSONValue
    /// Whether the compile sampler draws the variant.
    public let drawn: Bool
    /// The layout, in `/optimizer/vars` order.
    public let layout: [Entry]
    /// What Keras wrote for `Input(2) -> Dense(3)` with a float learning rate: (name, dtype, shape).
    public let example: [(name: String, dtype: String, shape: [Int])]

    /// Every variant of the templates, by name order.
    public static let all: [OptimizerSlots] = {
        let catalogue = TemplateCatalogue.shared
        return catalogue.names("optimizer_slots").map { OptimizerSlots(key: $0, template: catalogue.object("optimizer_slots", $0)) }
    }()

    init(key: String, template: JSONValue) {
        self.key = key
        className = template["class_name"]?.stringValue ?? ""
        overrides = template["config"] ?? .object(JSONObject())
        drawn = template["drawn"]?.boolValue ?? false
        layout = (template["layout"]?.arrayValue ?? []).map { entry in
            if let slots = entry["each_variable"]?.arrayValue {
                let flags = entry["nonnegative"]?.arrayValue ?? []
                return .eachVariable(slots: slots.enumerated().map { index, slot in
                    (slot.stringValue ?? "", index < flags.count ? flags[index].boolValue ?? false : false)
                })
            }
            let dtype = entry["dtype"]?.stringValue
            return .scalar(name: entry["name"]?.stringValue ?? "", dtype: dtype == "first_variable" ? nil : dtype,
                           floatLearningRate: entry["float_learning_rate"]?.boolValue ?? false,
                           nonnegative: entry["nonnegative"]?.boolValue ?? false)
        }
        example = (template["example"]?.arrayValue ?? []).map { item in
            (item[0]?.stringValue ?? "", item[1]?.stringValue ?? "", (item[2]?.arrayValue ?? []).compactMap { $0.intValue })
        }
    }

    /// The drawn variants of optimizer class `className`, in name order.
    public static func variants(of className: String) -> [OptimizerSlots] {
        all.filter { $0.drawn && $0.className == className }
    }

    /// The variant an optimizer envelope is: the one of its class whose overrides its config all holds, the
    /// most specific when several do (`RMSprop_momentum_centered` before `RMSprop_momentum`).
    public static func variant(of optimizer: JSONValue) -> OptimizerSlots? {
        guard let className = optimizer["class_name"]?.stringValue, let config = optimizer["config"] else { return nil }
        let matching = all.filter { variant in
            guard variant.className == className, case .object(let overrides) = variant.overrides else { return false }
            return overrides.allSatisfy { key, value in config[key] == value }
        }
        return matching.max { lhs, rhs in lhs.overrides.objectCount < rhs.overrides.objectCount }
    }

    /// The optimizer's variables for trainable variables `trainable` (name, dtype, shape in Keras's order),
    /// with the learning-rate variable only when `floatLearningRate`.
    public func variables(for trainable: [(name: String, dtype: String, shape: [Int])], floatLearningRate: Bool) -> [Variable] {
        var result: [Variable] = []
        for entry in layout {
            switch entry {
            case let .scalar(name, dtype, onlyFloat, nonnegative):
                if onlyFloat && !floatLearningRate { continue }
                result.append(Variable(name: name, dtype: dtype ?? trainable.first?.dtype ?? "float32", shape: [], nonnegative: nonnegative))
            case .eachVariable(let slots):
                for variable in trainable {
                    for slot in slots {
                        result.append(Variable(name: "\(variable.name)_\(slot.name)", dtype: variable.dtype, shape: variable.shape, nonnegative: slot.nonnegative))
                    }
                }
            }
        }
        return result
    }
}

extension JSONValue {
    /// The number of keys of an object (0 for anything else).
    var objectCount: Int {
        if case .object(let object) = self { return object.count }
        return 0
    }
}
