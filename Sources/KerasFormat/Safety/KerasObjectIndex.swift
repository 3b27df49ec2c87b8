/// The generated ``KerasAllowList`` tables as lookups, built once.
struct KerasObjectIndex: Sendable {
    /// A class row: the object and whether it is allowed (external-model layers are known but refused).
    struct ClassEntry: Sendable {
        let object: KerasObject
        let allowed: Bool
    }

    /// Classes by `<module>.<Name>`, every name Keras resolves for them.
    let classes: [String: ClassEntry]
    /// Classes by bare name, for configs without a `module` (legacy `.h5`, Keras 2).
    let shortNames: [String: ClassEntry]
    /// Allowed functions by canonical `keras.*` name.
    let functions: Set<String>
    /// Names searched under module `builtins`: the first function Keras finds and whether it is allowed.
    let builtinFunctions: [String: (canonical: String, allowed: Bool)]
    /// Exported functions of the math namespaces left out, with the reason.
    let excludedFunctions: [String: String]
    /// Keras's own NON_MODELING_APIS.
    let nonModellingAPIs: Set<String>

    static let shared = KerasObjectIndex()

    private init() {
        var classes: [String: ClassEntry] = [:]
        var shortNames: [String: ClassEntry] = [:]
        var shortRank: [String: Int] = [:]
        for fields in Self.rows(KerasAllowList.classes) where fields.count == 4 {
            let traits = Set(fields[2].split(separator: ",").compactMap { KerasObject.Trait(rawValue: String($0)) })
            let entry = ClassEntry(object: KerasObject(canonicalName: fields[1], traits: traits), allowed: fields[3] == "1")
            classes[fields[0]] = entry
            let short = String(fields[0].split(separator: ".").last ?? "")
            let rank = Self.preference(entry)
            if rank < shortRank[short] ?? Int.max {
                shortNames[short] = entry
                shortRank[short] = rank
            }
        }
        self.classes = classes
        self.shortNames = shortNames
        functions = Set(Self.rows(KerasAllowList.functions).compactMap(\.first))
        var builtins: [String: (canonical: String, allowed: Bool)] = [:]
        for fields in Self.rows(KerasAllowList.builtinFunctions) where fields.count == 3 {
            builtins[fields[0]] = (fields[1], fields[2] == "1")
        }
        builtinFunctions = builtins
        var excluded: [String: String] = [:]
        for fields in Self.rows(KerasAllowList.excludedFunctions) where fields.count >= 2 {
            excluded[fields[0]] = fields.dropFirst().joined(separator: " ")
        }
        excludedFunctions = excluded
        nonModellingAPIs = Set(Self.rows(KerasAllowList.nonModellingAPIs).compactMap(\.first))
    }

    /// Allowed before refused, layers before other namespaces, exported before internal.
    private static func preference(_ entry: ClassEntry) -> Int {
        let name = entry.object.canonicalName
        var rank = entry.allowed ? 0 : 4
        if !name.hasPrefix("keras.layers.") { rank += 1 }
        if name.hasPrefix("keras.src.") { rank += 2 }
        return rank
    }

    private static func rows(_ table: String) -> [[String]] {
        table.split(separator: "\n").map { line in line.split(separator: " ").map(String.init) }
    }
}
