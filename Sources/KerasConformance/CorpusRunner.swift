import Foundation
import KerasBytes
import KerasFormat
import KerasJSON
import KerasReference

/// Runs a golden corpus (`Corpus/golden`, written by real Keras with scripts/corpus/make_golden.py and
/// make_layer_zoo.py) through the reference core: every file of every model in each `MANIFEST.json`
/// (the folder's and its subfolders') is loaded, run on the recorded inputs and compared with Keras's
/// recorded outputs. A weights-only file is loaded into the model's architecture file first.
public enum CorpusRunner {
    /// The runner's cases for the corpus at `root`, each with the comparison of issue 3 (rtol 1e-4, 1e-3
    /// beyond 20 layers, widened for low-precision policies).
    public static func run(_ root: String, progress: (Int, Int, String) -> Void = { _, _, _ in }) -> [CaseResult] {
        let manifests = manifestFolders(root)
        guard !manifests.isEmpty else {
            return [CaseResult(name: root, source: "corpus", property: "predict", format: "-", outcome: .harnessError,
                               detail: "no MANIFEST.json in \(root) or its subfolders", replay: "", layers: [])]
        }
        var work: [(folder: String, model: String, facts: [String: Any])] = []
        for folder in manifests {
            guard let data = FileManager.default.contents(atPath: folder + "/MANIFEST.json"),
                  let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let models = manifest["models"] as? [String: [String: Any]] else { continue }
            for (model, facts) in models.sorted(by: { $0.key < $1.key }) { work.append((folder, model, facts)) }
        }
        var results: [CaseResult] = []
        for (index, item) in work.enumerated() {
            progress(index, work.count, item.model)
            results += run(model: item.model, facts: item.facts, folder: item.folder, root: root)
        }
        return results
    }

    static func run(model: String, facts: [String: Any], folder: String, root: String) -> [CaseResult] {
        let label = folder == root ? model : String(folder.dropFirst(root.count + 1)) + "/" + model
        guard let inputPaths = facts["inputs"] as? [String], let files = facts["files"] as? [String] else { return [] }
        let outputPaths = (facts["outputs"] as? [String]) ?? (facts["outputs"] as? String).map { [$0] } ?? []
        let architecture = files.first { $0.hasSuffix(".keras") || $0.hasSuffix("/") || ($0.hasSuffix(".h5") && !$0.hasSuffix(".weights.h5")) } ?? files[0]
        var results: [CaseResult] = []
        for file in files {
            let replay = "kconform conform --corpus \(root)  # \(label): \(file)"
            var layers: [String] = []
            func result(_ outcome: CaseOutcome, _ detail: String = "") -> CaseResult {
                CaseResult(name: label + ": " + file, source: "corpus", property: "predict", format: format(of: file), outcome: outcome,
                           detail: detail, replay: replay, layers: layers)
            }
            let inputs: [Tensor], expected: [Tensor]
            do throws(ConformanceKit.KitError) {
                inputs = try inputPaths.map { path throws(ConformanceKit.KitError) in try ConformanceKit.tensor(folder + "/" + path) }
                expected = try outputPaths.map { path throws(ConformanceKit.KitError) in try ConformanceKit.tensor(folder + "/" + path) }
            } catch {
                results.append(result(.harnessError, error.description))
                continue
            }
            let outputs: [Tensor]
            let loaded: KerasModel
            do throws(ReferenceError) {
                loaded = try loadModel(from: folder + "/" + architecture)
                layers = loaded.saveableObjects.map(\.layer.className)
                if file != architecture { try loaded.loadWeights(from: folder + "/" + file) }
                outputs = try loaded.predict(inputs)
            } catch {
                results.append(result(error.code == ReferenceError.Code.notImplemented ? .unsupported : .fail,
                                      "\(error.code.ruleID) \(error.code.name): \(error.reason) at \(error.location)"))
                continue
            }
            let policy = loaded.file.configJSON.map { String(decoding: JSONWriter.dumpBytes($0), as: UTF8.self) } ?? ""
            let comparison = OutputComparison.forModel(layers: layers.count, policy: policy.contains("bfloat16") ? "bfloat16" : policy.contains("float16") ? "float16" : "float32")
            let difference = comparison.difference(outputs.count > expected.count ? Array(outputs.prefix(expected.count)) : outputs, expected)
            results.append(difference.map { result(.fail, $0) } ?? result(.pass))
        }
        return results
    }

    /// `.keras`, `folder`, `.h5`, `.weights.h5` or `.weights.json` (sharded).
    static func format(of file: String) -> String {
        if file.hasSuffix("/") { return "folder" }
        for suffix in [".weights.h5", ".weights.json", ".keras", ".h5", ".npz"] where file.hasSuffix(suffix) { return suffix }
        return "other"
    }

    /// `root` and every subfolder holding a `MANIFEST.json`, sorted.
    static func manifestFolders(_ root: String) -> [String] {
        var folders: [String] = []
        let manager = FileManager.default
        if manager.fileExists(atPath: root + "/MANIFEST.json") { folders.append(root) }
        for name in ((try? manager.contentsOfDirectory(atPath: root)) ?? []).sorted() {
            var isFolder: ObjCBool = false
            if manager.fileExists(atPath: root + "/" + name, isDirectory: &isFolder), isFolder.boolValue,
               manager.fileExists(atPath: root + "/" + name + "/MANIFEST.json") {
                folders.append(root + "/" + name)
            }
        }
        return folders
    }
}
