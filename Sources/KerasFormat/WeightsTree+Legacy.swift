import KerasHDF5

extension WeightsTree {
    /// Reads the legacy layout (FORMAT.md 7.1, 7.2): `layer_names` on `group`, one subgroup per layer
    /// with `weight_names`, each weight a dataset at that path relative to the layer group.
    static func legacy(source: WeightsSource, group: HDF5Group, limits: ReadLimits, at location: Location, findings: inout [Finding]) -> WeightsTree {
        var walker = WeightsWalker(layout: .legacy, limits: limits, location: location)
        walker.walk(source: source, index: 0)
        findings += walker.findings
        let here = location.with(member: source.name, hdf5Path: group.path)
        guard let layerNames = LegacyAttributes.strings(group, "layer_names", at: here, findings: &findings) else {
            return WeightsTree(layout: .legacy, sources: [source], objects: [])
        }
        var objects: [WeightObject] = []
        for layerName in layerNames {
            guard case .group(let layerGroup)? = group.child(named: layerName) else {
                findings.append(Finding(.legacyLayerGroup, "layer_names lists \"\(layerName)\" but there is no such group", at: here))
                continue
            }
            let layerHere = location.with(member: source.name, hdf5Path: layerGroup.path)
            guard let weightNames = LegacyAttributes.strings(layerGroup, "weight_names", at: layerHere, findings: &findings) else {
                continue
            }
            var variables: [WeightVariable] = []
            for weightName in weightNames {
                guard let dataset = layerGroup.dataset(atRelativePath: weightName) else {
                    findings.append(Finding(.legacyWeightMissing, "weight_names lists \"\(weightName)\" but there is no such dataset", at: layerHere))
                    continue
                }
                let (dtype, isKeras) = WeightDType.of(dataset)
                if !isKeras {
                    findings.append(Finding(.unsupportedWeightType, "datatype \(dtype) is not one Keras stores",
                                            at: location.with(member: source.name, hdf5Path: dataset.path)))
                }
                variables.append(WeightVariable(sourceIndex: 0, objectPath: layerName, key: weightName, hdf5Path: dataset.path,
                                                dataset: dataset, dtype: dtype, isKerasDType: isKeras))
            }
            objects.append(WeightObject(path: layerName, name: layerName, variables: variables))
        }
        return WeightsTree(layout: .legacy, sources: [source], objects: objects)
    }
}

/// Reading the string-list attributes of legacy files, including the `<name>0..k` chunks (FORMAT.md 7.1).
enum LegacyAttributes {
    /// The strings of attribute `name` on `group`, concatenated from chunks when the attribute was split;
    /// `[]` for the empty float64 array Keras writes for weightless layers; nil (with a finding) otherwise.
    static func strings(_ group: HDF5Group, _ name: String, at location: Location, findings: inout [Finding]) -> [String]? {
        if let attribute = group.attribute(named: name) {
            return decode(attribute, at: location, findings: &findings)
        }
        var result: [String] = []
        var index = 0
        while let chunk = group.attribute(named: "\(name)\(index)") {
            guard let strings = decode(chunk, at: location, findings: &findings) else { return nil }
            result += strings
            index += 1
        }
        if index == 0 {
            findings.append(Finding(.legacyLayerGroup, "attribute \"\(name)\" is missing", at: location))
            return nil
        }
        return result
    }

    /// A scalar string attribute, or nil.
    static func string(_ group: HDF5Group, _ name: String) -> String? {
        group.attribute(named: name)?.value.stringValue
    }

    private static func decode(_ attribute: HDF5Attribute, at location: Location, findings: inout [Finding]) -> [String]? {
        switch attribute.value {
        case .strings(let strings):
            return strings
        case .floats(let values) where values.isEmpty:
            return []
        default:
            findings.append(Finding(.legacyAttributeType, "attribute \"\(attribute.name)\" is not a list of strings", at: location))
            return nil
        }
    }
}

extension HDF5Group {
    /// The target of the link called `name`, if any.
    func child(named name: String) -> HDF5LinkTarget? {
        links.first { $0.name == name }?.target
    }

    /// The attribute called `name`, if any.
    func attribute(named name: String) -> HDF5Attribute? {
        attributes.first { $0.name == name }
    }

    /// The dataset at `path` relative to this group (`a/b/kernel`), following hard links only.
    func dataset(atRelativePath path: String) -> HDF5Dataset? {
        var group = self
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for (index, part) in parts.enumerated() {
            guard !part.isEmpty, let target = group.child(named: part) else { return nil }
            switch target {
            case .group(let next) where index < parts.count - 1:
                group = next
            case .dataset(let dataset) where index == parts.count - 1:
                return dataset
            default:
                return nil
            }
        }
        return nil
    }
}
