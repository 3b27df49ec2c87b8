import KerasBytes
import KerasJSON

/// What `kconform inspect` shows about a file: kind, producer, members, model, layers, variables, totals.
public struct Inspection: Sendable {
    /// The file inspected.
    public let file: KerasFile

    /// The inspection of `file`.
    public init(_ file: KerasFile) {
        self.file = file
    }

    /// Every layer, depth first.
    public var layers: [LayerNode] { file.config?.allLayers ?? [] }
    /// Every stored variable, object by object.
    public var variables: [WeightVariable] { file.weights?.variables ?? [] }
    /// The number of scalar values stored (nil when a count overflows).
    public var parameterCount: Int? {
        var total = 0
        for variable in variables {
            guard let count = variable.elementCount, let sum = Checked.add(total, count) else { return nil }
            total = sum
        }
        return total
    }

    /// The weights tree in KerasFileEditor's `summary()` layout, one line per row (empty without weights).
    public var weightsStructure: [String] {
        file.weights.map(WeightsStructure.lines) ?? []
    }

    // MARK: Text

    /// The human rendering.
    public func text() -> String {
        var out = TextOutput()
        out.line(file.path)
        out.field("kind", "\(file.kind.displayName), \(ByteCount(file.byteCount))")
        if let metadata = file.metadata {
            var saved = metadata.kerasVersion.map { "Keras \($0)" } ?? "unknown Keras version"
            if let date = metadata.dateSaved { saved += " on \(date)" }
            if let backend = metadata.backend { saved += ", backend \(backend)" }
            out.field("saved with", saved)
        }
        if let root = file.config?.root {
            out.field("model", "\(root.qualifiedName)" + (root.name.map { " \"\($0)\"" } ?? ""))
        }
        if !file.members.isEmpty {
            out.section("Members (\(file.members.count))")
            let isArchive = file.kind == .kerasArchive
            var rows = [isArchive ? ["name", "size", "stored", "method", "modified"] : ["name", "size"]]
            for member in file.members {
                var row = [member.name, String(member.size)]
                if isArchive {
                    row += [member.compressedSize.map(String.init) ?? "", member.method ?? "", member.modified ?? ""]
                }
                rows.append(row)
            }
            out.table(rows, rightAligned: [1, 2])
        }
        if !layers.isEmpty {
            out.section("Layers (\(layers.count))")
            var rows = [["class", "name"]]
            for layer in layers {
                rows.append([String(repeating: "  ", count: layer.depth) + layer.className, layer.name ?? ""])
            }
            out.table(rows)
        }
        if let weights = file.weights {
            out.section("Weights structure")
            for line in WeightsStructure.lines(weights) { out.line("  " + line) }
            out.section("Variables (\(weights.variables.count))")
            var rows = [["path", "shape", "dtype", "bytes"]]
            for variable in weights.variables {
                rows.append([variable.hdf5Path, shapeText(variable.shape), variable.dtype, variable.byteCount.map(String.init) ?? "?"])
            }
            out.table(rows, rightAligned: [3])
            let objects = weights.objects.count { !$0.variables.isEmpty }
            let parameters = parameterCount.map(String.init) ?? "?"
            let bytes = weights.totalBytes.map { "\(ByteCount($0))" } ?? "?"
            out.line("")
            out.line("Totals: \(weights.variables.count) variables in \(objects) objects, \(parameters) parameters, \(bytes)")
        }
        let errors = file.findings.count { $0.severity == .error }
        if !file.findings.isEmpty {
            out.line("")
            out.line("\(file.findings.count) findings while reading (\(errors) errors): run `kconform check` for details")
        }
        return out.text
    }

    // MARK: JSON

    /// The machine rendering, starting with `schemaVersion`.
    public func json() -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("schemaVersion", .integer(ReportJSON.schemaVersion)),
            ("path", .text(file.path)),
            ("kind", .text(file.kind.rawValue)),
            ("bytes", .integer(file.byteCount)),
        ]
        if let metadata = file.metadata {
            fields.append(("metadata", .fields([
                ("kerasVersion", .text(metadata.kerasVersion)), ("dateSaved", .text(metadata.dateSaved)), ("backend", .text(metadata.backend)),
            ])))
        }
        fields.append(("members", .list(file.members.map { member in
            .fields([
                ("name", .text(member.name)), ("size", .integer(member.size)), ("compressedSize", .integer(member.compressedSize)),
                ("method", .text(member.method)), ("modified", .text(member.modified)),
            ])
        })))
        if let root = file.config?.root {
            fields.append(("model", .fields([
                ("module", .text(root.module)), ("className", .text(root.className)),
                ("registeredName", .text(root.registeredName)), ("name", .text(root.name)),
            ])))
        }
        fields.append(("layers", .list(layers.map { layer in
            .fields([
                ("depth", .integer(layer.depth)), ("className", .text(layer.className)), ("module", .text(layer.envelope.module)),
                ("name", .text(layer.name)), ("pointer", .text(layer.envelope.pointer)),
            ])
        })))
        if let weights = file.weights {
            fields.append(("weightsLayout", .text(weights.layout.rawValue)))
            fields.append(("objects", .list(weights.objects.map { object in
                .fields([("path", .text(object.path)), ("name", .text(object.name)), ("variables", .integer(object.variables.count))])
            })))
            fields.append(("variables", .list(weights.variables.map { variable in
                .fields([
                    ("path", .text(variable.hdf5Path)), ("object", .text(variable.objectPath)), ("key", .text(variable.key)),
                    ("source", .text(weights.sources[variable.sourceIndex].name)),
                    ("shape", .list(variable.shape.map { .integer($0) })), ("dtype", .text(variable.dtype)),
                    ("bytes", .integer(variable.byteCount)),
                ])
            })))
            fields.append(("totals", .fields([
                ("variables", .integer(weights.variables.count)), ("parameters", .integer(parameterCount)),
                ("bytes", .integer(weights.totalBytes)),
            ])))
        }
        fields.append(("findingCount", .integer(file.findings.count)))
        return .fields(fields)
    }
}

/// The KerasFileEditor `summary()` tree (FORMAT.md 10) in Keras's own layout: `vars` levels collapsed,
/// entries in HDF5 order (the leaves of an object where `vars` sorts among its children), empty objects
/// dropped, leaves as `0: shape=(4, 3), dtype=float32`. Two differences, both deliberate: object rows carry
/// the saved name, which Keras means to print but never does, and objects nested under an object whose own
/// `vars` is empty (an LSTM's `cell`, layers of nested models) are shown, where Keras omits them.
enum WeightsStructure {
    final class Node {
        var children: [(key: String, node: Node)] = []
        var leaves: [(key: String, text: String)] = []
        var name: String?

        func child(_ key: String) -> Node {
            if let existing = children.first(where: { $0.key == key }) { return existing.node }
            let node = Node()
            children.append((key, node))
            return node
        }

        /// Children and leaves in HDF5 order: leaves stand where `vars` sorts among the children.
        var entries: [(label: String, node: Node?)] {
            let byteOrder: (String, String) -> Bool = { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            let leafEntries = leaves.sorted { byteOrder($0.key, $1.key) }.map { (label: $0.text, node: Node?.none) }
            let sortedChildren = children.sorted { byteOrder($0.key, $1.key) }
            let before = sortedChildren.filter { byteOrder($0.key, "vars") }
            let after = sortedChildren.filter { !byteOrder($0.key, "vars") }
            func label(_ entry: (key: String, node: Node)) -> (label: String, node: Node?) {
                (entry.key + (entry.node.name.map { " ('\($0)')" } ?? ""), entry.node)
            }
            return before.map(label) + leafEntries + after.map(label)
        }
    }

    /// The tree's lines, without the two-space indent Keras prints before each.
    static func lines(_ weights: WeightsTree) -> [String] {
        let root = Node()
        for object in weights.objects where !object.variables.isEmpty {
            var node = root
            for part in object.path.split(separator: "/") { node = node.child(String(part)) }
            if !object.path.isEmpty { node.name = object.name }
            for variable in object.variables {
                node.leaves.append((variable.key, "\(variable.key): shape=\(shapeText(variable.shape)), dtype=\(variable.dtype)"))
            }
        }
        for object in weights.objects where object.variables.isEmpty && !object.path.isEmpty {
            var node: Node? = root
            for part in object.path.split(separator: "/") { node = node?.children.first { $0.key == String(part) }?.node }
            node?.name = object.name
        }
        var lines: [String] = []
        let entries = root.entries
        for (index, entry) in entries.enumerated() {
            let last = index == entries.count - 1
            lines.append((index == 0 ? "> " : last ? "└─ " : "├─ ") + entry.label)
            if let child = entry.node { render(child, prefix: last ? "    " : "│   ", into: &lines) }
        }
        return lines
    }

    private static func render(_ node: Node, prefix: String, into lines: inout [String]) {
        let entries = node.entries
        for (index, entry) in entries.enumerated() {
            let last = index == entries.count - 1
            lines.append(prefix + (last ? "└─ " : "├─ ") + entry.label)
            if let child = entry.node { render(child, prefix: prefix + (last ? "    " : "│   "), into: &lines) }
        }
    }
}
