import KerasJSON

/// One layer of a model config, with the layers it contains (nested models, wrapped layers).
public struct LayerNode: Sendable {
    /// The layer's envelope.
    public let envelope: ObjectEnvelope
    /// How deep the layer sits: 0 for layers of the top-level model.
    public let depth: Int
    /// Layers of a nested model, or the layer(s) a wrapper holds, in config order.
    public let children: [LayerNode]

    /// The class name (`Dense`).
    public var className: String { envelope.className }
    /// The layer name, when the config has one.
    public var name: String? { envelope.name }
}

/// The model described by a `config.json` or a legacy `model_config`: its envelope and its layer tree.
public struct ModelConfig: Sendable {
    /// The top-level envelope.
    public let root: ObjectEnvelope
    /// The layers of the top-level model, in config order.
    public let layers: [LayerNode]

    /// Every layer, depth first, in config order.
    public var allLayers: [LayerNode] {
        var result: [LayerNode] = []
        func visit(_ nodes: [LayerNode]) {
            for node in nodes {
                result.append(node)
                visit(node.children)
            }
        }
        visit(layers)
        return result
    }

    /// Parses `value` as a model config and reports structural findings into `findings`.
    ///
    /// Returns nil only when the top level is not an envelope (`KC-CFG-001`).
    public static func parse(_ value: JSONValue, at location: Location, findings: inout [Finding]) -> ModelConfig? {
        EnvelopeTypeCheck.check(value, pointer: "", at: location, findings: &findings)
        guard let root = ObjectEnvelope(value, pointer: "") else {
            findings.append(Finding(.configNotEnvelope,
                                    "the top level is not an object with \"class_name\" and \"config\"",
                                    at: location.with(jsonPointer: "")))
            return nil
        }
        let layers = parseModelLayers(root, depth: 0, at: location, findings: &findings) ?? []
        return ModelConfig(root: root, layers: layers)
    }

    /// The layers of `model` when it is a model (its config has a `layers` list); nil otherwise.
    private static func parseModelLayers(
        _ model: ObjectEnvelope, depth: Int, at location: Location, findings: inout [Finding]
    ) -> [LayerNode]? {
        guard let config = model.config.objectValue, let layersValue = config["layers"] else { return nil }
        let layersPointer = JSONPointer.appending(JSONPointer.appending(model.pointer, "config"), "layers")
        guard let entries = layersValue.arrayValue else {
            findings.append(Finding(.modelLayers, "\"layers\" of \(model.className) is not a list",
                                    at: location.with(jsonPointer: layersPointer)))
            return []
        }
        if model.className == "Sequential", config["name"]?.stringValue == nil {
            findings.append(Finding(.sequentialName, "the Sequential config has no string \"name\"",
                                    at: location.with(jsonPointer: JSONPointer.appending(model.pointer, "config"))))
        }
        var nodes: [LayerNode] = []
        var seenNames: [String: String] = [:]
        for (index, entry) in entries.enumerated() {
            let pointer = JSONPointer.appending(layersPointer, index)
            guard let envelope = ObjectEnvelope(entry, pointer: pointer) else {
                findings.append(Finding(.modelLayers, "layer entry \(index) of \(model.className) is not an envelope",
                                        at: location.with(jsonPointer: pointer)))
                continue
            }
            if let name = envelope.name {
                if let first = seenNames[name] {
                    findings.append(Finding(.duplicateLayerName, "layer name \"\(name)\" is also used at \(first)",
                                            at: location.with(jsonPointer: pointer)))
                } else {
                    seenNames[name] = pointer
                }
            }
            nodes.append(layerNode(envelope, depth: depth, at: location, findings: &findings))
        }
        if config["input_layers"] != nil || config["output_layers"] != nil {
            checkFunctionalReferences(config, known: Set(seenNames.keys), pointer: JSONPointer.appending(model.pointer, "config"),
                                      entries: entries, layersPointer: layersPointer, at: location, findings: &findings)
        }
        return nodes
    }

    private static let wrappedLayerKeys = ["layer", "forward_layer", "backward_layer"]

    private static func layerNode(_ envelope: ObjectEnvelope, depth: Int, at location: Location, findings: inout [Finding]) -> LayerNode {
        if let nested = parseModelLayers(envelope, depth: depth + 1, at: location, findings: &findings) {
            return LayerNode(envelope: envelope, depth: depth, children: nested)
        }
        var children: [LayerNode] = []
        if let config = envelope.config.objectValue {
            let configPointer = JSONPointer.appending(envelope.pointer, "config")
            for key in wrappedLayerKeys {
                if let value = config[key], let inner = ObjectEnvelope(value, pointer: JSONPointer.appending(configPointer, key)) {
                    children.append(layerNode(inner, depth: depth + 1, at: location, findings: &findings))
                }
            }
        }
        return LayerNode(envelope: envelope, depth: depth, children: children)
    }

    /// `input_layers`, `output_layers` and every `inbound_nodes` history must name layers of this model (FORMAT.md 2.5).
    private static func checkFunctionalReferences(
        _ config: JSONObject, known: Set<String>, pointer: String, entries: [JSONValue], layersPointer: String,
        at location: Location, findings: inout [Finding]
    ) {
        func report(_ name: String, _ where_: String) {
            findings.append(Finding(.unknownLayerReference, "\"\(name)\" is not a layer of this model",
                                    at: location.with(jsonPointer: where_)))
        }
        for key in ["input_layers", "output_layers"] {
            guard let value = config[key] else { continue }
            forEachHistory(value, pointer: JSONPointer.appending(pointer, key)) { name, at in
                if !known.contains(name) { report(name, at) }
            }
        }
        for (index, entry) in entries.enumerated() {
            guard let nodes = entry["inbound_nodes"] else { continue }
            let nodesPointer = JSONPointer.appending(JSONPointer.appending(layersPointer, index), "inbound_nodes")
            forEachKerasTensor(nodes, pointer: nodesPointer) { name, at in
                if !known.contains(name) { report(name, at) }
            }
        }
    }

    /// Calls `body` for every `[name, node, tensor]` leaf in an `input_layers`/`output_layers` structure.
    private static func forEachHistory(_ value: JSONValue, pointer: String, _ body: (String, String) -> Void) {
        switch value {
        case .array(let items):
            if items.count == 3, let name = items[0].stringValue {
                body(name, pointer)
                return
            }
            for (index, item) in items.enumerated() { forEachHistory(item, pointer: JSONPointer.appending(pointer, index), body) }
        case .object(let object):
            for (key, item) in object { forEachHistory(item, pointer: JSONPointer.appending(pointer, key), body) }
        default:
            return
        }
    }

    /// Calls `body` for the producer name of every `__keras_tensor__` marker, and of every legacy
    /// `[name, node_index, tensor_index, kwargs?]` node entry, under `value`.
    private static func forEachKerasTensor(_ value: JSONValue, pointer: String, _ body: (String, String) -> Void) {
        switch value {
        case .object(let object):
            if object["class_name"]?.stringValue == "__keras_tensor__" {
                if let history = object["config"]?["keras_history"], let name = history[0]?.stringValue {
                    body(name, JSONPointer.appending(JSONPointer.appending(pointer, "config"), "keras_history"))
                }
                return
            }
            for (key, item) in object { forEachKerasTensor(item, pointer: JSONPointer.appending(pointer, key), body) }
        case .array(let items):
            if (3...4).contains(items.count), let name = items[0].stringValue, items[1].intValue != nil, items[2].intValue != nil {
                body(name, pointer)
                return
            }
            for (index, item) in items.enumerated() { forEachKerasTensor(item, pointer: JSONPointer.appending(pointer, index), body) }
        default:
            return
        }
    }
}

/// The field types of every envelope at any depth (FORMAT.md 2.1, 8.2).
enum EnvelopeTypeCheck {
    static func check(_ value: JSONValue, pointer: String, at location: Location, findings: inout [Finding]) {
        switch value {
        case .object(let object):
            if object["class_name"] != nil, object["config"] != nil {
                checkFields(object, pointer: pointer, at: location, findings: &findings)
            }
            for (key, item) in object { check(item, pointer: JSONPointer.appending(pointer, key), at: location, findings: &findings) }
        case .array(let items):
            for (index, item) in items.enumerated() {
                check(item, pointer: JSONPointer.appending(pointer, index), at: location, findings: &findings)
            }
        default:
            return
        }
    }

    private static func checkFields(_ object: JSONObject, pointer: String, at location: Location, findings: inout [Finding]) {
        func report(_ key: String, _ expected: String) {
            findings.append(Finding(.envelopeFieldType, "\"\(key)\" must be \(expected)",
                                    at: location.with(jsonPointer: JSONPointer.appending(pointer, key))))
        }
        if object["class_name"]?.stringValue == nil { report("class_name", "a string") }
        for key in ["module", "registered_name"] {
            if let field = object[key], field.stringValue == nil, !field.isNull { report(key, "a string or null") }
        }
        if let config = object["config"], config.objectValue == nil, config.stringValue == nil, config.arrayValue == nil {
            report("config", "an object (a string for functions)")
        }
    }
}
