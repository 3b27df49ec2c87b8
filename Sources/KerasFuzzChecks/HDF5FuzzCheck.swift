import KerasBytes
import KerasHDF5

/// FuzzHDF5: bytes into `HDF5File.open`.
///
/// Properties of a file the reader opens:
/// - the walk visits every object; each group and dataset is found again by ``HDF5File/object(at:)``;
/// - every dataset's data reads within budget as exactly its declared byte count, or fails with an error,
///   and its storage size is known whenever its data is and holds elements (the data of a dataset without
///   elements is empty without a look at its chunk index, as in h5py);
/// - the ``HDF5ProfileTree`` of the file (what `HDF5Writer` can express), written through `HDF5Writer`
///   and opened again, is the same tree, with nothing left out. libhdf5 only ever sees data our reader
///   produced; it is not instrumented, so it adds no coverage feedback.
enum HDF5FuzzCheck {
    /// Option bit 0: ``HDF5Limits/allowBytesAfterEndOfFile``.
    static let allowBytesAfterEndOfFile: UInt8 = 1 << 0
    /// Option bit 1: the tight budgets of ``FuzzLimits/hdf5(tight:allowBytesAfterEndOfFile:)``.
    static let tightLimits: UInt8 = 1 << 1
    /// Every option bit defined so far.
    static let definedOptions: UInt8 = allowBytesAfterEndOfFile | tightLimits
    /// Most objects of a profile rewritten through libhdf5: bigger trees are checked by the walk only,
    /// which keeps one input in the millisecond range.
    static let maxRewriteObjects = 256
    /// Most data bytes of a profile rewritten through libhdf5 (1 MiB), for the same reason.
    static let maxRewriteBytes = 1 << 20

    static func run(_ input: FuzzInput) throws(FuzzViolation) -> FuzzOutcome {
        let limits = FuzzLimits.hdf5(tight: input.has(tightLimits),
                                     allowBytesAfterEndOfFile: input.has(allowBytesAfterEndOfFile))
        let file: HDF5File
        do throws(HDF5Error) { file = try HDF5File.open(input.body, limits: limits) } catch {
            return .rejected(error.code.ruleID)
        }
        var nodes: [HDF5Node] = []
        file.walk { nodes.append($0) }
        var data: [UInt64: ByteView] = [:]
        var tried = Set<UInt64>()
        for node in nodes {
            switch node {
            case .group, .dataset:
                guard file.object(at: node.path) != nil else { throw violation("every object is found by path", node.path) }
            default:
                break
            }
            guard case .dataset(let dataset) = node, tried.insert(dataset.address).inserted else { continue }
            guard let declared = dataset.declaredByteCount else {
                throw violation("declared sizes fit", "\(dataset.path): shape \(dataset.shape) of \(dataset.datatype.size)-byte elements")
            }
            guard let bytes = try? file.data(of: dataset) else { continue }
            guard bytes.count == declared else {
                throw violation("data has the declared size", "\(dataset.path): \(bytes.count) bytes, \(declared) declared")
            }
            if declared > 0 {
                do throws(HDF5Error) { _ = try file.storageSize(of: dataset) } catch {
                    throw violation("storage size is known when data is", "\(dataset.path): \(error.reason)")
                }
            }
            data[dataset.address] = bytes
        }
        try rewrite(HDF5ProfileTree(file, data: data))
        return .accepted
    }

    /// Writes `tree` through `HDF5Writer`, opens the result and compares.
    private static func rewrite(_ tree: HDF5ProfileTree) throws(FuzzViolation) {
        let size = tree.size
        guard size.objects <= maxRewriteObjects, size.bytes <= maxRewriteBytes else { return }
        let bytes: [UInt8]
        do throws(HDF5WriteError) { bytes = try tree.write() } catch {
            throw violation("HDF5Writer writes the profile of what the reader read", "\(error)")
        }
        let reread: HDF5File
        do throws(HDF5Error) { reread = try HDF5File.open(ByteView(copying: bytes)) } catch {
            throw violation("the rewritten file opens", "\(error.code.ruleID) \(error.reason) at \(error.location)")
        }
        var data: [UInt64: ByteView] = [:]
        var failures: [String] = []
        reread.walk { node in
            guard case .dataset(let dataset) = node else { return }
            do throws(HDF5Error) { data[dataset.address] = try reread.data(of: dataset) } catch {
                failures.append("\(dataset.path): \(error.reason)")
            }
        }
        guard failures.isEmpty else { throw violation("the rewritten data reads", failures.joined(separator: "; ")) }
        let again = HDF5ProfileTree(reread, data: data)
        guard again.omitted.isEmpty else {
            throw violation("the rewritten file stays in the profile", again.omitted.joined(separator: "; "))
        }
        guard again == tree else {
            throw violation("the rewritten file holds the same tree", difference(tree, again))
        }
    }

    private static func difference(_ expected: HDF5ProfileTree, _ actual: HDF5ProfileTree) -> String {
        var lines: [String] = []
        for path in Set(expected.groups.keys).union(actual.groups.keys).sorted() where expected.groups[path] != actual.groups[path] {
            lines.append("group \(path): \(String(describing: expected.groups[path])) versus \(String(describing: actual.groups[path]))")
        }
        for path in Set(expected.datasets.keys).union(actual.datasets.keys).sorted() where expected.datasets[path] != actual.datasets[path] {
            let before = expected.datasets[path].map { "\($0.dtype) \($0.shape) \($0.data.count) bytes \($0.attributes)" }
            let after = actual.datasets[path].map { "\($0.dtype) \($0.shape) \($0.data.count) bytes \($0.attributes)" }
            lines.append("dataset \(path): \(before ?? "absent") versus \(after ?? "absent")")
        }
        return lines.prefix(8).joined(separator: "; ")
    }

    private static func violation(_ property: String, _ detail: String) -> FuzzViolation {
        FuzzViolation(.hdf5, property, detail)
    }
}
