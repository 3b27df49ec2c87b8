import KerasJSON
import KerasReference

/// A model's trainable variables in the order of Keras's `model.trainable_variables` (the order optimizer
/// slots follow): a layer's own trainable variables in creation order, then its sub-layers in `_layers`
/// order (a model's layers; a wrapper's or MultiHeadAttention's sub-layers in the order Keras tracks them,
/// from the `sublayer_order` templates, which differs from the saving order: `forward_layer` before
/// `backward_layer`), depth first, each variable once. A layer whose config says `trainable: false`
/// contributes nothing, its sub-layers included; non-trainable variables (moving statistics) neither, nor
/// the float8 scales Keras overwrites with their gradients (its optimizers give them no slots).
enum TrainableVariables {
    /// (Keras-style name `dense_kernel`, the variable) in `model.trainable_variables` order.
    static func of(_ model: KerasModel) -> [(name: String, variable: KerasReference.Variable)] {
        let objects = model.saveableObjects
        var childrenOf: [String: [(attribute: String?, index: Int)]] = [:]
        for (index, object) in objects.enumerated() where !object.path.isEmpty {
            var components = object.path.split(separator: "/").map(String.init)
            let last = components.removeLast()
            let attribute: String?
            if components.last == "layers" {
                components.removeLast()
                attribute = nil
            } else {
                attribute = last
            }
            childrenOf[components.joined(separator: "/"), default: []].append((attribute, index))
        }
        let catalogue = TemplateCatalogue.shared
        var result: [(name: String, variable: KerasReference.Variable)] = []
        var seen = Set<ObjectIdentifier>()
        func walk(_ index: Int, scope: String) {
            let (path, layer) = objects[index]
            if layer.envelope.config["trainable"]?.boolValue == false { return }
            let name = scope.isEmpty ? layer.name : scope + "_" + layer.name
            for variable in layer.variablesInCreationOrder where variable.trainable && !layer.overwritesWithGradient(variable)
                && seen.insert(ObjectIdentifier(variable)).inserted {
                result.append((name + "_" + variable.name, variable))
            }
            let children = childrenOf[path] ?? []
            let layers = children.filter { $0.attribute == nil }
            var attributes = children.filter { $0.attribute != nil }
            if let order = catalogue.groups["sublayer_order"]?[layer.className]?.arrayValue?.compactMap(\.stringValue) {
                let ranks = order.map(Self.bare)
                func rank(_ child: (attribute: String?, index: Int)) -> (Int, Int) {
                    (ranks.firstIndex(of: Self.bare(child.attribute ?? "")) ?? ranks.count, child.index)
                }
                attributes.sort { rank($0) < rank($1) }
            }
            for child in layers + attributes { walk(child.index, scope: name) }
        }
        if !objects.isEmpty { walk(0, scope: "") }
        return result
    }

    /// An attribute name without its leading underscores (`_query_dense` is saved as `query_dense`).
    private static func bare(_ attribute: String) -> String { String(attribute.drop(while: { $0 == "_" })) }
}
