import KerasFormat
/// The objects of a model in the order Keras's `_save_state` / `_load_state` visit them, each with its
/// path (SL:731-1002, FORMAT.md 4.1): the object itself, then a model's `layers` container (each layer
/// named `snake_case(ClassName)` with a per-container counter that also counts layers already visited),
/// then child attributes. An object reached twice is visited once.
enum SaveableTraversal {
    static func visit(_ root: any Layer) -> [(layer: any Layer, path: String)] {
        var visited = Set<ObjectIdentifier>()
        var order: [(layer: any Layer, path: String)] = []
        func join(_ path: String, _ component: String) -> String { path.isEmpty ? component : path + "/" + component }
        func walk(_ layer: any Layer, _ path: String) {
            guard visited.insert(ObjectIdentifier(layer)).inserted else { return }
            order.append((layer, path))
            if let model = layer as? any ModelLayer {
                var counters: [String: Int] = [:]
                for child in model.layers {
                    let base = KerasNaming.snakeCase(child.className)
                    let count = counters[base, default: 0]
                    counters[base] = count + 1
                    walk(child, join(join(path, "layers"), count == 0 ? base : "\(base)_\(count)"))
                }
            }
            for (attribute, child) in layer.children { walk(child, join(path, attribute)) }
        }
        walk(root, "")
        return order
    }
}
