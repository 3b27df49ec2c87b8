import KerasBytes

/// Compares the weights with the variables the config declares (``DeclaredVariables``), and bounds what
/// building the config's model would allocate, without allocating it.
///
/// Shapes are compared in Keras 3 layouts (`.keras`, model folders): every object of the config whose shapes are known
/// is looked up at its saveable path; a count or shape that differs is `KC-W-014` at the dataset's HDF5
/// path and the layer's JSON pointer. Elements the config declares that no stored dataset of that
/// shape pays for are summed; above ``DeclaredShapeLimits/maxUnstoredVariableElements`` (or on overflow)
/// they are `KC-W-015` (legacy files, matched by layer name, compare totals). The cost is one pass over the config and the weights index: no dataset data is read.
public struct DeclaredShapeCheck: Sendable {
    /// The budgets.
    public var limits: DeclaredShapeLimits

    /// A check with `limits`.
    public init(limits: DeclaredShapeLimits = DeclaredShapeLimits()) {
        self.limits = limits
    }

    /// The findings for `file`; none when it has no model config.
    public func findings(_ file: KerasFile) -> [Finding] {
        guard let config = file.config else { return [] }
        let declared = DeclaredVariables(config)
        let configLocation = file.kind == .legacyModel
            ? Location(file: file.path, hdf5Path: "/@model_config") : Location(file: file.path, member: "config.json")
        var findings: [Finding] = []
        if let (object, shape) = declared.impossible {
            findings.append(Finding(.variableBudget, "\(object.className) declares a variable of shape \(shape), whose size is negative or overflows",
                                    at: configLocation.with(jsonPointer: object.pointer)))
            return findings
        }
        var stored: [String: WeightObject] = [:]
        if let weights = file.weights, weights.layout == .keras3 {
            stored = Dictionary(weights.objects.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        }
        var unstored = 0
        var largest: (object: DeclaredObject, elements: Int)?
        for object in declared.objects {
            guard let shapes = object.shapes else { continue }
            let variables = stored[object.path]?.variables ?? []
            let here = configLocation.with(jsonPointer: object.pointer)
            if file.weights?.layout == .keras3, stored[object.path] != nil || !shapes.isEmpty, variables.count != shapes.count {
                let where_ = variables.first.map { weightsLocation(file, $0, pointer: object.pointer) } ?? here
                findings.append(Finding(.configShapeMismatch,
                                        "\(object.className) at \(object.path.isEmpty ? "the model" : object.path) declares \(shapes.count) variables, the weights hold \(variables.count)",
                                        at: where_))
            }
            for (index, shape) in shapes.enumerated() {
                let elements = Checked.product(shape) ?? Int.max
                // Keras reads variable i from key "i" (`load_own_variables`), not from the i-th dataset present:
                // a missing or linked key must not shift the comparison onto its neighbour.
                let variable = variables.first { $0.key == String(index) }
                if let variable, variable.shape == shape { continue }
                if let variable, file.weights?.layout == .keras3 {
                    findings.append(Finding(.configShapeMismatch,
                                            "\(object.className) declares shape \(shape) for variable \(index), the dataset declares \(variable.shape)",
                                            at: weightsLocation(file, variable, pointer: object.pointer)))
                }
                unstored = Checked.add(unstored, elements) ?? Int.max
                if elements > (largest?.elements ?? 0) { largest = (object, elements) }
            }
        }
        if let weights = file.weights, weights.layout == .legacy {
            // Legacy files are matched by layer name, not path: only the totals are compared.
            let storedElements = weights.variables.reduce(0) { Checked.add($0, $1.elementCount ?? 0) ?? Int.max }
            unstored = unstored == Int.max ? unstored : max(0, unstored - storedElements)
        }
        if unstored > limits.maxUnstoredVariableElements, let largest {
            findings.append(Finding(.variableBudget,
                                    "the config declares \(unstored == Int.max ? "more than \(Int.max)" : String(unstored)) variable elements that the weights do not store "
                                    + "(budget \(limits.maxUnstoredVariableElements)); the largest part is \(largest.object.className) at \(largest.object.path)",
                                    at: configLocation.with(jsonPointer: largest.object.pointer)))
        }
        return findings
    }

    private func weightsLocation(_ file: KerasFile, _ variable: WeightVariable, pointer: String) -> Location {
        let source = file.weights?.sources[variable.sourceIndex].name
        return Location(file: file.path, member: source, hdf5Path: variable.hdf5Path, jsonPointer: pointer)
    }
}
