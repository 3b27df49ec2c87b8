extension WeightsTree {
    /// Reads the Keras 3 layout (FORMAT.md 4.2) from one or more files; objects found in several
    /// shards are merged the way the sharded store searches them (FORMAT.md 5.1).
    static func keras3(sources: [WeightsSource], limits: ReadLimits, at location: Location, findings: inout [Finding]) -> WeightsTree {
        var walker = WeightsWalker(layout: .keras3, limits: limits, location: location)
        for (index, source) in sources.enumerated() {
            walker.walk(source: source, index: index)
        }
        let objects = walker.mergedObjects()
        findings += walker.findings
        return WeightsTree(layout: .keras3, sources: sources, objects: objects)
    }
}
