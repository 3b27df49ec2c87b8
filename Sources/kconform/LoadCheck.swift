import KerasFormat
import KerasJSON
import KerasReference

/// `check --load`: loads a file that passed the checks with the reference core, as `keras.saving.load_model`
/// does with its defaults (safe mode, compile, config then weights), and turns what it raises into findings;
/// then runs the loaded model once on zeros in a child process that limits its own memory and CPU time
/// (``PredictProbe``). Layers without forward math load all the same; the run then names them.
///
/// The load happens only when its cost is bounded beforehand: the file passed `KC-W-015` (the variables
/// its config declares), and a config that needs the zero-input build run (``DeclaredVariables/needsDryRun``)
/// is loaded only when that run was followed and stays within ``DeclaredShapeLimits/maxDryRunTensorElements``.
struct LoadCheck {
    /// The budgets of the declared-shape rules.
    var limits = DeclaredShapeLimits()
    /// Whether the user registered objects of their own (an unknown class is then theirs, not an error).
    var hasRegistrations = false
    /// The limits of the zero-input predict run after a successful load, in a child process; nil: not run.
    var predictLimits: (memoryMiB: Int, cpuSeconds: Int)? = (PredictProbe.defaultMemoryMiB, PredictProbe.defaultCPUSeconds)

    /// The findings of loading `file`, whose check gave `result`.
    func findings(_ file: KerasFile, after result: CheckResult) -> [Finding] {
        let here = Location(file: file.path)
        guard result.passed else {
            return [Finding(.loadNotAttempted, "not loaded: the checks found \(result.count(.error)) errors", at: here)]
        }
        guard let config = file.config else {
            return [Finding(.loadNotAttempted, "not loaded: the file holds no model config (weights only)", at: here)]
        }
        let declared = DeclaredVariables(config)
        if declared.needsDryRun {
            guard let largest = declared.dryRunLargestTensor else {
                // The build run cannot be bounded beforehand: the whole load happens in the limited child.
                guard let predictLimits else {
                    return [Finding(.loadNotBounded, "not loaded: layers without build_config need a zero-input run that kconform cannot follow beforehand (and --predict-seconds 0 turns off the limited child process)", at: here)]
                }
                return PredictProbe.findings(for: file.path, memoryMiB: predictLimits.memoryMiB, cpuSeconds: predictLimits.cpuSeconds,
                                             parentLoaded: false, at: here)
            }
            guard largest <= limits.maxDryRunTensorElements else {
                return [Finding(.loadNotBounded, "not loaded: the zero-input build run would hold \(largest) elements (budget \(limits.maxDryRunTensorElements))", at: here)]
            }
        }
        let model: KerasModel
        do throws(ReferenceError) {
            model = try loadModel(file, options: LoadOptions(safeMode: true, compile: true))
        } catch {
            if hasRegistrations, error.code == ReferenceError.Code.unknownClass {
                return [Finding(.customObjectNotLoaded, "not loaded past a registered custom class: \(error.reason)", at: location(of: error, in: file))]
            }
            let rule = RuleCatalogue.rule(id: error.code.ruleID) ?? RuleCatalogue.rule(for: error.code)
            let place = location(of: error, in: file)
            let message = place == here && !error.location.isEmpty ? "\(error.reason) (at \(error.location))" : error.reason
            return [Finding(rule, message, at: place)]
        }
        let objects = model.saveableObjects
        let variables = objects.reduce(0) { $0 + $1.layer.variables.count }
        let loaded = Finding(.modelLoaded, "loaded with the reference core in safe mode: \(objects.count) objects, \(variables) variables assigned", at: here)
        guard let predictLimits else { return [loaded] }
        return [loaded] + PredictProbe.findings(for: file.path, memoryMiB: predictLimits.memoryMiB, cpuSeconds: predictLimits.cpuSeconds,
                                                parentLoaded: true, at: here)
    }

    /// Where a load error points: a JSON pointer into the config, a weights object or dataset, or only the file.
    private func location(of error: ReferenceError, in file: KerasFile) -> Location {
        let here = Location(file: file.path)
        let place = error.location
        let configMember = file.kind == .legacyModel ? here.with(hdf5Path: "/@model_config") : here.with(member: "config.json")
        if place.isEmpty { return here }
        if let json = file.configJSON, resolves(place, in: json) { return configMember.with(jsonPointer: place) }
        if let weights = file.weights {
            let member = weights.sources.first?.name
            let trimmed = place.hasPrefix("/") ? String(place.dropFirst()) : place
            if let object = weights.objects.first(where: { $0.path == trimmed }) {
                let source = object.variables.first.map { weights.sources[$0.sourceIndex].name } ?? member
                return Location(file: file.path, member: source, hdf5Path: "/" + (trimmed.isEmpty ? "vars" : trimmed + "/vars"))
            }
            if let variable = weights.variables.first(where: { $0.hdf5Path == place }) {
                return Location(file: file.path, member: weights.sources[variable.sourceIndex].name, hdf5Path: place)
            }
        }
        return here
    }

    /// Whether `pointer` (RFC 6901) names a value of `document`, or a missing field of an object in it.
    private func resolves(_ pointer: String, in document: JSONValue) -> Bool {
        guard pointer.hasPrefix("/") else { return pointer.isEmpty }
        var current = document
        let tokens = pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (position, token) in tokens.enumerated() {
            if position == tokens.count - 1, current.objectValue != nil { return true }
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let next = current[key] {
                current = next
            } else if let index = Int(key), let next = current[index] {
                current = next
            } else {
                return false
            }
        }
        return true
    }
}
