import KerasFormat

/// Which Keras classes the reference core can run, by class name: the layers of ``LayerRegistry`` and the
/// `keras.ops` operations of ``OperationLayer``, measured against the classes Keras 3.15.1 defines
/// (``KerasCallFacts``).
public enum ForwardMath {
    /// `(covered, total)`: the `keras.ops` operation classes with forward math, of every `Operation`
    /// subclass a `keras.src.ops` module defines.
    public static var operationCoverage: (covered: Int, total: Int) {
        let names = Set(KerasCallFacts.operations.map(\.name))
        return (names.intersection(OperationLayer.implemented).count, names.count)
    }

    /// The operation classes Keras defines that have no forward math here, sorted.
    public static var operationsWithoutMath: [String] {
        Set(KerasCallFacts.operations.map(\.name)).subtracting(OperationLayer.implemented).sorted()
    }

    /// The layer and operation classes of `config` (at any depth) that have no forward math here, sorted,
    /// each once. A custom object (registered name) counts as without math: its math is the caller's.
    public static func classesWithoutMath(in config: ModelConfig) -> [String] {
        var missing: Set<String> = []
        for node in config.allLayers {
            let envelope = node.envelope
            let module = envelope.module ?? "keras.layers"
            if module.hasPrefix("keras.src.ops.") {
                if !OperationLayer.implemented.contains(envelope.className) { missing.insert(envelope.className) }
            } else if LayerRegistry.builtins[envelope.className] == nil, !LayerRegistry.modelClasses.contains(envelope.className) {
                missing.insert(envelope.className)
            }
        }
        return missing.sorted()
    }
}
