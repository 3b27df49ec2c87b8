import KerasJSON

/// Makes a valid model config (`config.json`, as ``JSONValue``) invalid in one named way, every decision
/// drawn from a ``Choices``, and says which rule must refuse the result.
///
/// The config is analysed once: every model envelope (Sequential, Functional, nested ones included), its
/// layer entries, and in Functional models every layer reference (`input_layers`, `output_layers`, each
/// `keras_history` or legacy node entry in `inbound_nodes`) with the call it feeds, so that cycles are
/// made only where the graph really loops.
public struct ConfigMutator: Sendable {
    /// The config as given.
    public let original: JSONValue
    /// The kinds that apply to this config, in ``ConfigMutation/Kind`` order.
    public let applicableKinds: [ConfigMutation.Kind]

    private let models: [Model]

    /// A model envelope in the config.
    struct Model: Sendable {
        /// Path of the envelope.
        let path: [JSONTree.Step]
        let className: String
        /// Names of the layer entries (nil for an entry without a string name), in config order.
        let layerNames: [String?]
        /// Layer references (Functional models only).
        let references: [Reference]

        var layersPath: [JSONTree.Step] { path + [.key("config"), .key("layers")] }
    }

    /// `[layer, node, tensor]` somewhere in a Functional config.
    struct Reference: Sendable {
        /// Path of the triple (a JSON array).
        let path: [JSONTree.Step]
        let layer: String
        let node: Int
        /// The call the reference feeds (`layer name`, `node index`), nil for `input_layers`/`output_layers`.
        let consumer: Call?
    }

    /// One call of a layer: its name and node index.
    struct Call: Sendable, Hashable {
        let layer: String
        let node: Int
    }

    /// The model classes whose config holds a `layers` list.
    static let modelClasses: Set<String> = ["Sequential", "Functional", "Model"]
    /// Rule ids the mutations expect (KerasFormat's rule catalogue and ReferenceError codes).
    enum Expect {
        static let notEnvelope = "KC-CFG-001"
        static let fieldType = "KC-CFG-002"
        static let modelLayers = "KC-CFG-003"
        static let duplicateName = "KC-CFG-004"
        static let unknownLayer = "KC-CFG-005"
        static let sequentialName = "KC-CFG-006"
        static let unknownObject = "KC-SAFE-002"
        static let nonModellingObject = "KC-SAFE-003"
        static let invalidConfig = "KC-REF-001"
        static let invalidGraph = "KC-REF-004"
    }

    /// Analyses `config`.
    public init(config: JSONValue) {
        original = config
        var models: [Model] = []
        ConfigMutator.collectModels(config, path: [], into: &models)
        self.models = models
        let layered = models.filter { !$0.layerNames.isEmpty }
        let references = models.flatMap(\.references)
        applicableKinds = ConfigMutation.Kind.allCases.filter { kind in
            switch kind {
            case .wrongFieldType, .missingField: return config.objectValue != nil
            case .danglingLayerReference, .danglingNodeIndex: return !references.isEmpty
            case .layerCycle: return references.contains { $0.consumer != nil }
            case .unknownClass, .unknownModule: return !layered.isEmpty
            case .duplicateLayerName: return models.contains { $0.layerNames.compactMap { $0 }.count >= 2 }
            }
        }
    }

    /// One mutation of a kind drawn from ``applicableKinds``, or nil when none applies.
    public func mutate(_ choices: inout Choices) -> ConfigMutation? {
        guard !applicableKinds.isEmpty else { return nil }
        return mutate(choices.element(of: applicableKinds), &choices)
    }

    /// One mutation of `kind`, or nil when it does not apply.
    public func mutate(_ kind: ConfigMutation.Kind, _ choices: inout Choices) -> ConfigMutation? {
        guard applicableKinds.contains(kind) else { return nil }
        switch kind {
        case .wrongFieldType: return wrongFieldType(&choices)
        case .missingField: return missingField(&choices)
        case .danglingLayerReference, .danglingNodeIndex: return dangling(kind, &choices)
        case .layerCycle: return cycle(&choices)
        case .unknownClass, .unknownModule: return unknownObject(kind, &choices)
        case .duplicateLayerName: return duplicateName(&choices)
        }
    }

    // MARK: Mutations

    /// The envelopes a field mutation may touch: the root and every layer entry of every model.
    private func envelopePaths() -> [[JSONTree.Step]] {
        var paths: [[JSONTree.Step]] = [[]]
        for model in models {
            for index in model.layerNames.indices { paths.append(model.layersPath + [.index(index)]) }
        }
        return paths
    }

    private func make(_ kind: ConfigMutation.Kind, _ detail: String, _ path: [JSONTree.Step], _ config: JSONValue,
                      _ expected: Set<String>, run: Bool = false) -> ConfigMutation {
        ConfigMutation(kind: kind, detail: detail, pointer: JSONTree.pointer(path), config: config, expectedRuleIDs: expected, detectedWhenRun: run)
    }

    private func wrongFieldType(_ choices: inout Choices) -> ConfigMutation {
        let wrong: [JSONValue] = [.number(JSONNumber(7)), .bool(true), .array([]), .number(JSONNumber(-1.5))]
        if !models.isEmpty, choices.bool(0.25) {
            let model = choices.element(of: models)
            if model.className == "Sequential", choices.bool() {
                let path = model.path + [.key("config"), .key("name")]
                let value = JSONValue.number(JSONNumber(choices.int(in: 0...99)))
                return make(.wrongFieldType, "Sequential name set to \(JSONWriter.dumps(value))", path,
                            JSONTree.replacing(path, in: original, with: value), [Expect.sequentialName])
            }
            let value = choices.element(of: [JSONValue.string("layers"), .number(JSONNumber(0)), .object(JSONObject()), .null])
            return make(.wrongFieldType, "\(model.className) layers set to \(JSONWriter.dumps(value))", model.layersPath,
                        JSONTree.replacing(model.layersPath, in: original, with: value), [Expect.modelLayers])
        }
        let envelope = choices.element(of: envelopePaths())
        let field = choices.element(of: ["class_name", "config", "module", "registered_name"])
        let path = envelope + [.key(field)]
        var value = choices.element(of: wrong)
        if field == "config", value.arrayValue != nil { value = .bool(false) }
        return make(.wrongFieldType, "\(field) set to \(JSONWriter.dumps(value))", path,
                    JSONTree.replacing(path, in: original, with: value), [Expect.fieldType])
    }

    private func missingField(_ choices: inout Choices) -> ConfigMutation {
        if !models.isEmpty, choices.bool(0.4) {
            let model = choices.element(of: models)
            var fields = ["layers"]
            if model.className == "Sequential" { fields.append("name") } else { fields += ["input_layers", "output_layers"] }
            let field = choices.element(of: fields)
            let path = model.path + [.key("config"), .key(field)]
            let expected = field == "name" ? Expect.sequentialName : Expect.invalidConfig
            return make(.missingField, "\(model.className) config without \(field)", path, JSONTree.removing(path, from: original), [expected])
        }
        let envelope = choices.element(of: envelopePaths())
        let field = choices.element(of: ["class_name", "config"])
        let path = envelope + [.key(field)]
        let expected = envelope.isEmpty ? Expect.notEnvelope : Expect.modelLayers
        return make(.missingField, "envelope without \(field)", path, JSONTree.removing(path, from: original), [expected])
    }

    private func dangling(_ kind: ConfigMutation.Kind, _ choices: inout Choices) -> ConfigMutation {
        let model = choices.element(of: models.filter { !$0.references.isEmpty })
        let reference = choices.element(of: model.references)
        let triple = JSONTree.value(at: reference.path, in: original)
        guard case .array(var items) = triple else { preconditionFailure("a reference is an array") }
        if kind == .danglingLayerReference {
            let known = Set(model.layerNames.compactMap { $0 })
            var name = "no_such_layer_\(choices.int(in: 0...99))"
            while known.contains(name) { name += "_" }
            items[0] = .string(name)
            return make(kind, "reference to \(reference.layer) renamed to \(name)", reference.path,
                        JSONTree.replacing(reference.path, in: original, with: .array(items)), [Expect.unknownLayer])
        }
        let calls = model.references.compactMap(\.consumer).filter { $0.layer == reference.layer }.map(\.node)
        let node = (calls.max() ?? 0) + choices.int(in: 2...9)
        items[1] = .number(JSONNumber(node))
        return make(kind, "reference to \(reference.layer) call \(reference.node) now names call \(node)", reference.path,
                    JSONTree.replacing(reference.path, in: original, with: .array(items)), [Expect.invalidGraph], run: true)
    }

    private func cycle(_ choices: inout Choices) -> ConfigMutation {
        let model = choices.element(of: models.filter { $0.references.contains { $0.consumer != nil } })
        let reference = choices.element(of: model.references.filter { $0.consumer != nil })
        let start = reference.consumer!
        // Calls fed, directly or not, by `start`'s output: pointing `reference` at any of them closes a loop.
        var consumers: [Call: [Call]] = [:]
        for edge in model.references {
            guard let consumer = edge.consumer else { continue }
            consumers[Call(layer: edge.layer, node: edge.node), default: []].append(consumer)
        }
        var reached: [Call] = [start]
        var seen: Set<Call> = [start]
        var index = 0
        while index < reached.count {
            for next in consumers[reached[index]] ?? [] where seen.insert(next).inserted { reached.append(next) }
            index += 1
        }
        let target = choices.element(of: reached)
        guard case .array(var items) = JSONTree.value(at: reference.path, in: original) else { preconditionFailure("a reference is an array") }
        items[0] = .string(target.layer)
        items[1] = .number(JSONNumber(target.node))
        items[2] = .number(JSONNumber(0))
        let what = target == start ? "its own output" : "the output of \(target.layer) call \(target.node), which it feeds"
        return make(.layerCycle, "\(start.layer) call \(start.node) now takes \(what)", reference.path,
                    JSONTree.replacing(reference.path, in: original, with: .array(items)), [Expect.invalidGraph], run: true)
    }

    private func unknownObject(_ kind: ConfigMutation.Kind, _ choices: inout Choices) -> ConfigMutation {
        let model = choices.element(of: models.filter { !$0.layerNames.isEmpty })
        let entry = model.layersPath + [.index(choices.int(in: 0...(model.layerNames.count - 1)))]
        if kind == .unknownClass {
            let name = choices.element(of: ["NoSuchLayer", "Dense2", "dense", "Denze", "Layer_\(choices.int(in: 0...99))"])
            let path = entry + [.key("class_name")]
            return make(kind, "class_name set to \(name)", path, JSONTree.replacing(path, in: original, with: .string(name)),
                        [Expect.unknownObject, Expect.nonModellingObject])
        }
        let module = choices.element(of: ["evil_module", "os", "keras_contrib.layers", "builtins", "my_package.layers"])
        let path = entry + [.key("module")]
        let envelope = JSONTree.value(at: entry, in: original)
        let mutated = envelope.objectValue.map { object -> JSONValue in
            var object = object
            _ = object.updateValue(.string(module), forKey: "module")
            return .object(object)
        } ?? envelope
        return make(kind, "module set to \(module)", path, JSONTree.replacing(entry, in: original, with: mutated), [Expect.unknownObject])
    }

    private func duplicateName(_ choices: inout Choices) -> ConfigMutation {
        let model = choices.element(of: models.filter { $0.layerNames.compactMap { $0 }.count >= 2 })
        let named = model.layerNames.indices.filter { model.layerNames[$0] != nil }
        let source = choices.element(of: named)
        let renamed = choices.element(of: named.filter { $0 != source && model.layerNames[$0] != model.layerNames[source] })
        let name = model.layerNames[source]!
        let entry = model.layersPath + [.index(renamed)]
        var config = original
        if JSONTree.value(at: entry + [.key("config"), .key("name")], in: original).stringValue != nil {
            config = JSONTree.replacing(entry + [.key("config"), .key("name")], in: config, with: .string(name))
        }
        if JSONTree.value(at: entry + [.key("name")], in: original).stringValue != nil {
            config = JSONTree.replacing(entry + [.key("name")], in: config, with: .string(name))
        }
        return make(.duplicateLayerName, "layer \(model.layerNames[renamed]!) renamed to \(name), the name of layer \(source)",
                    entry, config, [Expect.duplicateName])
    }

    // MARK: Analysis

    private static func collectModels(_ value: JSONValue, path: [JSONTree.Step], into models: inout [Model]) {
        switch value {
        case .object(let object):
            if let className = object["class_name"]?.stringValue, modelClasses.contains(className),
               let entries = object["config"]?["layers"]?.arrayValue {
                let names = entries.map { $0["config"]?["name"]?.stringValue ?? $0["name"]?.stringValue }
                var references: [Reference] = []
                if className != "Sequential" { references = collectReferences(object, path: path, names: names) }
                models.append(Model(path: path, className: className, layerNames: names, references: references))
            }
            for (key, item) in object { collectModels(item, path: path + [.key(key)], into: &models) }
        case .array(let items):
            for (index, item) in items.enumerated() { collectModels(item, path: path + [.index(index)], into: &models) }
        default:
            return
        }
    }

    private static func collectReferences(_ model: JSONObject, path: [JSONTree.Step], names: [String?]) -> [Reference] {
        var references: [Reference] = []
        let configPath = path + [.key("config")]
        for key in ["input_layers", "output_layers"] {
            if let value = model["config"]?[key] { collectTriples(value, path: configPath + [.key(key)], consumer: nil, into: &references) }
        }
        let entries = model["config"]?["layers"]?.arrayValue ?? []
        for (index, entry) in entries.enumerated() {
            guard let name = names[index], let nodes = entry["inbound_nodes"]?.arrayValue else { continue }
            for (node, call) in nodes.enumerated() {
                let nodePath = configPath + [.key("layers"), .index(index), .key("inbound_nodes"), .index(node)]
                collectHistories(call, path: nodePath, consumer: Call(layer: name, node: node), into: &references)
            }
        }
        return references
    }

    /// `[name, node, tensor]` triples of an `input_layers`/`output_layers` structure.
    private static func collectTriples(_ value: JSONValue, path: [JSONTree.Step], consumer: Call?, into references: inout [Reference]) {
        guard let items = value.arrayValue else {
            if let object = value.objectValue {
                for (key, item) in object { collectTriples(item, path: path + [.key(key)], consumer: consumer, into: &references) }
            }
            return
        }
        if items.count == 3, let name = items[0].stringValue, let node = items[1].intValue, items[2].intValue != nil {
            references.append(Reference(path: path, layer: name, node: node, consumer: consumer))
            return
        }
        for (index, item) in items.enumerated() { collectTriples(item, path: path + [.index(index)], consumer: consumer, into: &references) }
    }

    /// `keras_history` of every `__keras_tensor__`, and legacy `[name, node, tensor, kwargs?]` entries, in a call.
    private static func collectHistories(_ value: JSONValue, path: [JSONTree.Step], consumer: Call, into references: inout [Reference]) {
        switch value {
        case .object(let object):
            if object["class_name"]?.stringValue == "__keras_tensor__" {
                let historyPath = path + [.key("config"), .key("keras_history")]
                if let history = object["config"]?["keras_history"]?.arrayValue, history.count == 3,
                   let name = history[0].stringValue, let node = history[1].intValue, history[2].intValue != nil {
                    references.append(Reference(path: historyPath, layer: name, node: node, consumer: consumer))
                }
                return
            }
            for (key, item) in object { collectHistories(item, path: path + [.key(key)], consumer: consumer, into: &references) }
        case .array(let items):
            if (3...4).contains(items.count), let name = items[0].stringValue, let node = items[1].intValue, items[2].intValue != nil {
                references.append(Reference(path: path, layer: name, node: node, consumer: consumer))
                return
            }
            for (index, item) in items.enumerated() { collectHistories(item, path: path + [.index(index)], consumer: consumer, into: &references) }
        default:
            return
        }
    }
}

extension ConfigMutator {
    /// Paths into a JSON value, and edits along them (shared with ``FileMutator``'s JSON kinds).
    enum JSONTree {
        /// One step down: an object member or an array element.
        enum Step: Sendable, Hashable {
            case key(String)
            case index(Int)
        }

        /// Values in the tree, the root included.
        static func count(_ value: JSONValue) -> Int {
            switch value {
            case .object(let object): object.values.reduce(1) { $0 + count($1) }
            case .array(let items): items.reduce(1) { $0 + count($1) }
            default: 1
            }
        }

        /// The path of the `index`-th value in preorder (0 is the root).
        static func path(at index: Int, in value: JSONValue) -> [Step] {
            var remaining = index
            var path: [Step] = []
            _ = descend(value, &remaining, &path)
            return path
        }

        private static func descend(_ value: JSONValue, _ remaining: inout Int, _ path: inout [Step]) -> Bool {
            if remaining == 0 { return true }
            remaining -= 1
            switch value {
            case .object(let object):
                for (key, item) in object {
                    path.append(.key(key))
                    if descend(item, &remaining, &path) { return true }
                    path.removeLast()
                }
            case .array(let items):
                for (index, item) in items.enumerated() {
                    path.append(.index(index))
                    if descend(item, &remaining, &path) { return true }
                    path.removeLast()
                }
            default:
                break
            }
            return false
        }

        /// The value at `path` (null when the path leads nowhere).
        static func value(at path: [Step], in value: JSONValue) -> JSONValue {
            var current = value
            for step in path {
                switch step {
                case .key(let key): current = current[key] ?? .null
                case .index(let index): current = current[index] ?? .null
                }
            }
            return current
        }

        /// `value` with the value at `path` replaced by `new` (an object member is added when missing).
        static func replacing(_ path: [Step], in value: JSONValue, with new: JSONValue) -> JSONValue {
            edit(path[...], value) { _ in new }
        }

        /// `value` without the value at `path` (the root cannot be removed; it is returned unchanged).
        static func removing(_ path: [Step], from value: JSONValue) -> JSONValue {
            guard let last = path.last else { return value }
            return edit(path.dropLast()[...], value) { parent in
                switch (parent, last) {
                case (.object(var object), .key(let key)):
                    _ = object.removeValue(forKey: key)
                    return .object(object)
                case (.array(var items), .index(let index)) where items.indices.contains(index):
                    items.remove(at: index)
                    return .array(items)
                default:
                    return parent
                }
            }
        }

        private static func edit(_ path: ArraySlice<Step>, _ value: JSONValue, _ change: (JSONValue) -> JSONValue) -> JSONValue {
            guard let step = path.first else { return change(value) }
            switch (value, step) {
            case (.object(var object), .key(let key)):
                _ = object.updateValue(edit(path.dropFirst(), object[key] ?? .null, change), forKey: key)
                return .object(object)
            case (.array(var items), .index(let index)) where items.indices.contains(index):
                items[index] = edit(path.dropFirst(), items[index], change)
                return .array(items)
            default:
                return value
            }
        }

        /// The RFC 6901 pointer of `path`.
        static func pointer(_ path: [Step]) -> String {
            path.map { step in
                switch step {
                case .key(let key): "/" + key.replacingOccurrences("~", "~0").replacingOccurrences("/", "~1")
                case .index(let index): "/" + String(index)
                }
            }.joined()
        }

        /// A value of another JSON type than `value`.
        static func retyped(_ value: JSONValue, _ choices: inout Choices) -> JSONValue {
            let candidates: [JSONValue] = [
                .null, .bool(true), .number(JSONNumber(0)), .number(JSONNumber(-1)), .number(JSONNumber(1e300)),
                .number(.nan), .string(""), .string("x"), .array([]), .object(JSONObject()),
            ]
            return choices.element(of: candidates.filter { typeTag($0) != typeTag(value) })
        }

        private static func typeTag(_ value: JSONValue) -> Int {
            switch value {
            case .null: 0
            case .bool: 1
            case .number: 2
            case .string: 3
            case .array: 4
            case .object: 5
            }
        }
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
