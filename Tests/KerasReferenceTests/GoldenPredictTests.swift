import Foundation
import KerasBytes
import KerasNpy
import KerasReference
import Testing

/// Every golden model loaded by the reference core predicts what Keras 3.15.1 predicted on the same
/// inputs (`Corpus/golden/io`, written by scripts/corpus/make_golden.py; the layer zoo `Corpus/golden/zoo`,
/// written by scripts/corpus/make_layer_zoo.py, whose models are named `zoo/<case>`), and every tf-keras
/// file of `Corpus/golden/keras2` what tf-keras 2.21 predicted (`keras2/<case>`), within the issue's
/// tolerance: `|ours - keras| <= atol + rtol * |keras|`, rtol 1e-4 (1e-3 beyond 20 layers),
/// atol 1e-5 × max(1, max|keras|).
@Suite struct GoldenPredictTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Corpus/golden")

    static let zoo = golden.appendingPathComponent("zoo")

    struct Case: CustomTestStringConvertible, Sendable {
        /// The manifest's folder; every path below is relative to it.
        let root: URL
        let model: String
        let file: String
        let architecture: String
        let inputs: [String]
        let output: String
        var testDescription: String { "\(model): \(file)" }
    }

    /// Models kconform cannot predict yet, with the reason; each must fail with `notImplemented` until
    /// it is removed from this list (Tests/KerasReferenceTests/known_unsupported.txt).
    static let knownUnsupported: [String: String] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("known_unsupported.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var table: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2 { table[String(parts[0])] = String(parts[1]) }
        }
        return table
    }()

    static let cases: [Case] = manifestCases(golden, prefix: "")
    static let zooCases: [Case] = manifestCases(zoo, prefix: "zoo/")
    /// Keras 2 files made by tf-keras 2.21 (scripts/corpus/make_keras2.py): full models and the weights-only
    /// layout loaded into them; tf-keras's predictions are the oracle.
    static let keras2Cases: [Case] = manifestCases(golden.appendingPathComponent("keras2"), prefix: "keras2/")

    /// keras.applications architectures from scripts/corpus/make_app_zoo.py (not committed: generated into
    /// `.build/zoo-apps`, or the folder `KCONFORM_APP_ZOO` names); no cases when absent.
    static let appZoo: URL = ProcessInfo.processInfo.environment["KCONFORM_APP_ZOO"].map { URL(fileURLWithPath: $0) }
        ?? golden.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/zoo-apps")
    static let appCases: [Case] = manifestCases(appZoo, prefix: "apps/")

    /// The cases of the `MANIFEST.json` in `root`, model names prefixed with `prefix`.
    static func manifestCases(_ root: URL, prefix: String) -> [Case] {
        guard let data = try? Data(contentsOf: root.appendingPathComponent("MANIFEST.json")),
              let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let models = manifest["models"] as? [String: [String: Any]]
        else { return [] }
        var result: [Case] = []
        for (model, facts) in models.sorted(by: { $0.key < $1.key }) {
            guard let inputs = facts["inputs"] as? [String], let output = facts["outputs"] as? String,
                  let files = facts["files"] as? [String] else { continue }
            let architecture = files.first { $0.hasSuffix(".keras") || $0.hasSuffix("/") || ($0.hasSuffix(".h5") && !$0.hasSuffix(".weights.h5")) } ?? files[0]
            for file in files {
                result.append(Case(root: root, model: prefix + model, file: file, architecture: architecture, inputs: inputs, output: output))
            }
        }
        return result
    }

    /// The `.npy` at `relative` as the library reads it (every numeric and bool dtype, the dtype kept).
    static func tensor(_ relative: String, in root: URL = golden) throws -> Tensor {
        let array = try NpyArray.read(try ByteView(mappingFileAt: root.appendingPathComponent(relative).path))
        return try Tensor(array)
    }

    @Test func everyGoldenModelHasACase() {
        #expect(Self.cases.count >= 20)
    }

    /// Fewer zoo cases than this means the zoo went missing, not that everything passed.
    @Test func everyZooModelHasACase() {
        #expect(Self.zooCases.count >= 20)
    }

    static func run(_ testCase: Case, path: String, inputs: [Tensor]) throws(ReferenceError) -> Tensor {
        let model: KerasModel
        if testCase.file == testCase.architecture {
            model = try loadModel(from: path)
        } else {
            model = try loadModel(from: testCase.root.appendingPathComponent(testCase.architecture).path)
            try model.loadWeights(from: path)
        }
        return try model.predict(inputs)[0]
    }

    @Test func everyKeras2ModelHasACase() {
        #expect(Self.keras2Cases.count >= 20)
    }

    @Test(arguments: cases + zooCases + keras2Cases)
    func predictMatchesKeras(testCase: Case) throws {
        try Self.check(testCase)
    }

    /// Runs only where the application zoo was generated (`make zoo-apps`); deep models, rtol 1e-3.
    @Test(arguments: appCases)
    func applicationPredictMatchesKeras(testCase: Case) throws {
        try Self.check(testCase)
    }

    static func check(_ testCase: Case) throws {
        let path = testCase.root.appendingPathComponent(testCase.file).path
        let inputs = try testCase.inputs.map { try Self.tensor($0, in: testCase.root) }
        let expected = try Self.tensor(testCase.output, in: testCase.root)
        let outcome = Result { () throws(ReferenceError) -> Tensor in try Self.run(testCase, path: path, inputs: inputs) }
        if let reason = Self.knownUnsupported[testCase.model] {
            guard case .failure(let error) = outcome else {
                Issue.record("\(testCase.model) is listed as unsupported (\(reason)) but now predicts: remove it from known_unsupported.txt")
                return
            }
            #expect(error.code == ReferenceError.Code.notImplemented, "\(error)")
            return
        }
        let ours = try outcome.get()
        #expect(ours.shape == expected.shape)
        let layers = testCase.model == "deep300" || testCase.model.hasPrefix("apps/") ? 300 : 10
        // Low-precision policies: the same tolerance counted in units of the compute dtype's epsilon
        // (float16 2^-10, bfloat16 2^-7) instead of float32's; 4 ulps.
        let config = testCase.model.hasPrefix("apps/") ? "" : (try? String(contentsOf: testCase.root.appendingPathComponent(testCase.architecture + (testCase.architecture.hasSuffix("/") ? "config.json" : "")), encoding: .isoLatin1)) ?? ""
        let policyEpsilon: Float = config.contains("bfloat16") ? 0x1p-7 : config.contains("float16") ? 0x1p-10 : 0
        let rtol: Float = max(layers > 20 ? 1e-3 : 1e-4, 4 * policyEpsilon)
        let atol: Float = 1e-5 * max(1, expected.scalars.filter { !$0.isNaN }.map(abs).max() ?? 0)
        // NaN where Keras has NaN (an all-padding average, an out-of-range Embedding index), nowhere else.
        let nanMismatches = zip(ours.scalars, expected.scalars).filter { $0.isNaN != $1.isNaN }.count
        #expect(nanMismatches == 0, "\(nanMismatches) elements are NaN in one output and not in the other")
        var worst: Float = 0
        for (mine, theirs) in zip(ours.scalars, expected.scalars) where !mine.isNaN && !theirs.isNaN {
            let excess: Float = abs(mine - theirs) - (atol + rtol * abs(theirs))
            worst = max(worst, excess)
        }
        #expect(worst <= 0, "exceeds tolerance by \(worst): ours \(ours.scalars.prefix(6)) keras \(expected.scalars.prefix(6))")
    }
}
