import KerasBytes
import KerasHDF5

/// Walks HDF5 trees in stored order, reporting link, storage, size and aliasing findings, and in the
/// Keras 3 layout collecting every `vars` group as an object.
struct WeightsWalker {
    let layout: WeightsTree.Layout
    let limits: ReadLimits
    let location: Location
    var findings: [Finding] = []
    private var objectOrder: [String] = []
    private var objectNames: [String: String] = [:]
    private var objectVariables: [String: [String: WeightVariable]] = [:]
    private var seenAddresses: [ObjectKey: String] = [:]
    private var sourceNames: [String] = []

    /// An HDF5 object: its header address within one source.
    private struct ObjectKey: Hashable {
        let source: Int
        let address: UInt64
    }

    init(layout: WeightsTree.Layout, limits: ReadLimits, location: Location) {
        self.layout = layout
        self.limits = limits
        self.location = location
    }

    mutating func walk(source: WeightsSource, index: Int) {
        sourceNames.append(source.name)
        walkGroup(source.file.root, source: source, index: index)
    }

    private func at(_ source: WeightsSource, _ path: String) -> Location {
        location.with(member: source.name, hdf5Path: path)
    }

    private mutating func walkGroup(_ group: HDF5Group, source: WeightsSource, index: Int) {
        let isVars = layout == .keras3 && (group.path == "/vars" || group.path.hasSuffix("/vars"))
        if isVars { recordObject(group, source: source, index: index) }
        for link in group.links {
            let childPath = group.path == "/" ? "/" + link.name : group.path + "/" + link.name
            switch link.target {
            case .group(let child):
                noteAlias(child.address, childPath, source, index)
                walkGroup(child, source: source, index: index)
            case .dataset(let dataset):
                noteAlias(dataset.address, childPath, source, index)
                checkDataset(dataset, source: source)
                if layout == .keras3, !isVars {
                    findings.append(Finding(.strayDataset, "dataset outside any vars group is never loaded by Keras",
                                            at: at(source, childPath)))
                }
            case .namedDatatype:
                findings.append(Finding(.strayDataset, "a committed datatype, which Keras never writes or reads", at: at(source, childPath)))
            case .soft(let target):
                findings.append(Finding(.softLink, "soft link to \"\(target)\"", at: at(source, childPath)))
            case .external(let file, let target):
                findings.append(Finding(.externalLink, "external link to \"\(target)\" in file \"\(file)\"", at: at(source, childPath)))
            }
        }
    }

    private mutating func noteAlias(_ address: UInt64, _ path: String, _ source: WeightsSource, _ index: Int) {
        let key = ObjectKey(source: index, address: address)
        if let first = seenAddresses[key] {
            findings.append(Finding(.aliasedObject, "the same object is also reachable as \(first)", at: at(source, path)))
        } else {
            seenAddresses[key] = path
        }
    }

    /// Layout, storage and size rules for one dataset (FORMAT.md 9, THREATS.md B3-B5).
    mutating func checkDataset(_ dataset: HDF5Dataset, source: WeightsSource) {
        let here = at(source, dataset.path)
        if !dataset.externalFiles.isEmpty {
            let names = dataset.externalFiles.map(\.name).joined(separator: ", ")
            findings.append(Finding(.externalStorage, "data is stored in external file(s): \(names)", at: here))
        }
        if case .virtual = dataset.layout {
            findings.append(Finding(.virtualDataset, "virtual dataset", at: here))
        }
        if let declared = dataset.declaredByteCount, let stored = try? source.file.storageSize(of: dataset) {
            if declared > stored, declared - stored > limits.maxUnstoredDatasetBytes {
                findings.append(Finding(.declaredSizeBomb,
                                        "declares \(ByteCount(declared)) but stores \(ByteCount(stored)) (budget for unstored bytes: \(ByteCount(limits.maxUnstoredDatasetBytes)))",
                                        at: here))
            }
        }
    }

    private mutating func recordObject(_ vars: HDF5Group, source: WeightsSource, index: Int) {
        let objectPath = String(vars.path.dropFirst().dropLast("vars".count)).trimmingSlashes()
        if objectVariables[objectPath] == nil {
            objectOrder.append(objectPath)
            objectVariables[objectPath] = [:]
        }
        if let name = vars.attributes.first(where: { $0.name == "name" })?.value.stringValue {
            if objectNames[objectPath] == nil { objectNames[objectPath] = name }
        }
        for link in vars.links {
            guard case .dataset(let dataset) = link.target else { continue }
            guard objectVariables[objectPath]?[link.name] == nil else { continue }
            let (dtype, isKeras) = WeightDType.of(dataset)
            if !isKeras {
                let rule: Rule = dtype.hasPrefix("opaque2") ? .opaqueWithoutDType : .unsupportedWeightType
                findings.append(Finding(rule, "datatype \(dtype) is not one Keras stores", at: at(source, dataset.path)))
            }
            objectVariables[objectPath]?[link.name] = WeightVariable(
                sourceIndex: index, objectPath: objectPath, key: link.name, hdf5Path: dataset.path,
                dataset: dataset, dtype: dtype, isKerasDType: isKeras)
        }
    }

    /// Objects in first-seen order; variables by key `0..n-1`, then any other keys (reported).
    mutating func mergedObjects() -> [WeightObject] {
        var objects: [WeightObject] = []
        for path in objectOrder {
            let variables = objectVariables[path] ?? [:]
            var ordered: [WeightVariable] = []
            var index = 0
            while let variable = variables[String(index)] {
                ordered.append(variable)
                index += 1
            }
            let loaded = Set((0..<index).map(String.init))
            let stray = variables.keys.filter { !loaded.contains($0) }.sorted()
            if let first = stray.first, let sample = variables[first] {
                let run = index == 0 ? "there is no key 0" : "they are outside the run of keys 0..\(index - 1)"
                findings.append(Finding(.varsKeys,
                                        "keys \(stray.joined(separator: ", ")) are never loaded: \(run)",
                                        at: location.with(member: sourceNames[sample.sourceIndex], hdf5Path: sample.hdf5Path)))
                ordered += stray.compactMap { variables[$0] }
            }
            if objectNames[path] == nil {
                findings.append(Finding(.varsWithoutName, "vars group has no name attribute",
                                        at: location.with(hdf5Path: path.isEmpty ? "/vars" : "/\(path)/vars")))
            }
            objects.append(WeightObject(path: path, name: objectNames[path], variables: ordered))
        }
        return objects
    }
}

extension String {
    /// The string without leading and trailing `/`.
    func trimmingSlashes() -> String {
        var slice = Substring(self)
        while slice.first == "/" { slice = slice.dropFirst() }
        while slice.last == "/" { slice = slice.dropLast() }
        return String(slice)
    }
}
