import KerasFormat
import KerasHDF5

/// Assigns stored variables to a model the way Keras's `_load_state` walks it (SL:731-1098, FORMAT.md 4).
///
/// Paths: a model's `layers` container first, each layer named `snake_case(ClassName)` with a counter per
/// container (`dense`, `dense_1`); then child attributes (`cell`). Failures are collected per object and
/// reported together, like Keras's "A total of N objects could not be loaded". An object fails at its first
/// mismatching variable, as `load_own_variables` does (LAY:1448-1494): a count mismatch assigns nothing,
/// a shape mismatch keeps the variables assigned before it.
struct WeightsLoader {
    let tree: WeightsTree
    private let objects: [String: WeightObject]
    private(set) var failures: [(path: String, object: String, error: ReferenceError)] = []

    init(tree: WeightsTree) {
        self.tree = tree
        self.objects = Dictionary(tree.objects.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Assigns every object of `root`'s traversal, collecting failures.
    mutating func load(_ root: any Layer) {
        for (layer, path) in SaveableTraversal.visit(root) {
            do throws(ReferenceError) { try assign(layer, path: path) } catch { failures.append((path, Self.repr(layer), error)) }
        }
    }

    /// Assigns the variables of the object at `path`; an absent object has zero variables (SL:1384-1418).
    private func assign(_ layer: any Layer, path: String) throws(ReferenceError) {
        let stored = objects[path]?.variables ?? []
        if let opaque = layer as? OpaqueLayer, opaque.variables.isEmpty {
            opaque.adopt(stored.map { ($0.shape, $0.dtype) })
        }
        let variables = layer.variables
        if variables.isEmpty, !stored.isEmpty {
            throw ReferenceError(ReferenceError.Code.variableCountMismatch,
                                 "Layer '\(layer.name)' was never built and thus it doesn't have any variables. However the weights file lists \(stored.count) variables for this layer.",
                                 at: path)
        }
        guard variables.count == stored.count else {
            throw ReferenceError(ReferenceError.Code.variableCountMismatch,
                                 "Layer '\(layer.name)' expected \(variables.count) variables, but received \(stored.count) variables during loading. Expected: \(variables.map(\.name))",
                                 at: path)
        }
        for (variable, storedVariable) in zip(variables, stored) {
            let source = tree.sources[storedVariable.sourceIndex].file
            let bytes: ByteViewResult
            do throws(HDF5Error) { bytes = .success(try source.data(of: storedVariable.dataset)) } catch { bytes = .failure(error) }
            switch bytes {
            case .success(let data): try variable.assign(bytes: data, dtype: storedVariable.dtype, shape: storedVariable.shape)
            case .failure(let error):
                throw ReferenceError(ReferenceError.Code.loadFailed, "\(error.code.ruleID): \(error.reason)", at: storedVariable.hdf5Path)
            }
        }
    }

    /// The aggregated message of every failure, in Keras's wording (`_raise_loading_failure`, SL:698-712);
    /// nil when all loaded:
    ///
    ///     msg = (
    ///         f"A total of {len(error_msgs)} objects could not "
    ///         "be loaded. Example error message for "
    ///         f"object {ex_saveable}:\n\n"
    ///         f"{ex_error}\n\n"
    ///         "List of objects that could not be loaded:\n"
    ///         f"{[x[0] for x in error_msgs.values()]}"
    ///     )
    var aggregateMessage: String? {
        guard let first = failures.first else { return nil }
        let list = failures.map(\.object).joined(separator: ", ")
        return "A total of \(failures.count) objects could not be loaded. Example error message for object \(first.object):\n\n\(first.error.reason)\n\nList of objects that could not be loaded:\n[\(list)]"
    }

    /// The aggregated error (`raise ValueError(msg)`); nil when all loaded.
    var aggregateError: ReferenceError? {
        guard let message = aggregateMessage, let first = failures.first else { return nil }
        return ReferenceError(ReferenceError.Code.loadFailed, message, at: first.path)
    }

    /// Ends the load: with `skipMismatch` the aggregated message is returned as Keras's one warning
    /// (`warnings.warn(msg)` when `warn_only`, SL:709-710), otherwise it is thrown.
    func finish(skipMismatch: Bool) throws(ReferenceError) -> [String] {
        guard let message = aggregateMessage else { return [] }
        if skipMismatch { return [message] }
        if let error = aggregateError { throw error }
        return []
    }

    /// `Layer.__repr__` (LAY:1616-1619): `<Dense name=dense_1, built=True>`.
    static func repr(_ layer: any Layer) -> String {
        "<\(layer.className) name=\(layer.name), built=\(layer.isBuilt ? "True" : "False")>"
    }
}

import KerasBytes

typealias ByteViewResult = Result<ByteView, HDF5Error>
