import Foundation
import KerasBytes
import KerasFormat
import KerasReference
import KerasZip
import Testing

/// `kconform check --load`: a load by the reference core after the checks, reported as findings.
@Suite struct CheckLoadTests {
    static func json(_ run: CommandLineTests.Run) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    }

    static func ruleIDs(_ report: [String: Any]) -> [String] {
        let files = report["files"] as? [[String: Any]] ?? []
        return files.flatMap { ($0["findings"] as? [[String: Any]] ?? []).compactMap { $0["ruleId"] as? String } }
    }

    @Test func goldenCorpusLoadsWithoutErrorsAndSaysSo() throws {
        let run = try CommandLineTests.run("check", "--load", "--format", "json", "Corpus/golden")
        #expect(run.status == 0, "\(run.output.prefix(4000))")
        let report = try Self.json(run)
        #expect(report["load"] as? Bool == true)
        #expect((report["summary"] as? [String: Any])?["errors"] as? Int == 0)
        let ids = Self.ruleIDs(report)
        #expect(ids.filter { $0 == Rule.modelLoaded.id }.count >= 35)
        #expect(!ids.contains { $0.hasPrefix("KC-REF-") })
    }

    @Test func withoutLoadNothingIsLoaded() throws {
        let run = try CommandLineTests.run("check", "--format", "json", "Corpus/golden/seq_mlp.keras")
        let report = try Self.json(run)
        #expect(report["load"] as? Bool == false)
        #expect(!Self.ruleIDs(report).contains { $0.hasPrefix("KC-LOAD-") })
    }

    @Test func textAndSARIFNameTheLoad() throws {
        let text = try CommandLineTests.run("check", "--load", "Corpus/golden/seq_mlp.keras")
        #expect(text.status == 0)
        #expect(text.output.contains("KC-LOAD-001"))
        let sarif = try CommandLineTests.run("check", "--load", "--format", "sarif", "Corpus/golden/seq_mlp.keras")
        #expect(sarif.output.contains("\"KC-LOAD-001\""))
    }

    @Test func failingFilesAreNotLoaded() throws {
        let run = try CommandLineTests.run("check", "--load", "--format", "json", "Corpus/attacks/a1_lambda_layer.keras")
        #expect(run.status == 1)
        let ids = Self.ruleIDs(try Self.json(run))
        #expect(ids.contains(Rule.loadNotAttempted.id))
        #expect(!ids.contains(Rule.modelLoaded.id))
    }

    /// A Dense without `units` passes the structural and safety checks; Keras's load fails on it, and so does ours.
    @Test func loadErrorBecomesAFindingWithItsPointer() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kconform-checkload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: CommandLineTests.repositoryRoot.appendingPathComponent("Corpus/golden/folder_model"), to: directory)
        let configURL = directory.appendingPathComponent("config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        var inner = try #require(config["config"] as? [String: Any])
        var layers = try #require(inner["layers"] as? [[String: Any]])
        var dense = try #require(layers[1]["config"] as? [String: Any])
        dense["units"] = nil
        layers[1]["config"] = dense
        inner["layers"] = layers
        config["config"] = inner
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        let plain = try CommandLineTests.run("check", directory.path)
        #expect(plain.status == 0, "\(plain.output)")
        let run = try CommandLineTests.run("check", "--load", "--format", "json", directory.path)
        #expect(run.status == 1)
        let report = try Self.json(run)
        let findings = (report["files"] as? [[String: Any]])?.first?["findings"] as? [[String: Any]] ?? []
        let failure = try #require(findings.first { ($0["ruleId"] as? String) == "KC-REF-001" })
        #expect(failure["severity"] as? String == "error")
        #expect((failure["location"] as? [String: Any])?["jsonPointer"] as? String == "/config/layers/1/config/units")
    }

    @Test func referenceRulesMirrorEveryReferenceErrorCode() {
        #expect(Rule.referenceRules.count == ReferenceError.Code.all.count)
        for code in ReferenceError.Code.all {
            let rule = RuleCatalogue.rule(id: code.ruleID)
            #expect(rule?.name == code.name, "\(code.ruleID)")
            #expect(rule?.severity == .error)
        }
        for rule in Rule.loadRules { #expect(RuleCatalogue.rule(id: rule.id) == rule) }
    }

    @Test func rulesCommandListsTheNewRules() throws {
        let run = try CommandLineTests.run("rules")
        for id in ["KC-W-014", "KC-W-015", "KC-LOAD-001", "KC-LOAD-003", "KC-REF-006"] { #expect(run.output.contains(id), "\(id)") }
    }
}

/// `check --load`'s zero-input predict: run in a child process under memory and CPU limits.
@Suite struct ZeroInputPredictTests {
    @Test func everyGoldenModelWithForwardMathRunsOnZeros() throws {
        let run = try CommandLineTests.run("check", "--load", "--format", "json", "Corpus/golden")
        let ids = CheckLoadTests.ruleIDs(try CheckLoadTests.json(run))
        #expect(ids.filter { $0 == Rule.zeroInputPredicted.id }.count >= 60, "\(ids)")
        #expect(!ids.contains(Rule.zeroInputPredictLimit.id))
        // Only the layers kconform has no math for stop it (IntegerLookup, known_unsupported.txt).
        #expect(ids.filter { $0 == Rule.zeroInputPredictNotRun.id }.count == 2)
    }

    /// A tf-keras Functional has no build_config: its build run cannot be bounded beforehand, so the whole
    /// load happens in the limited child; without the child it is not loaded.
    @Test func legacyFunctionalLoadsInTheLimitedChild() throws {
        let path = "Corpus/golden/keras2/func_multi_io.h5"
        let ids = CheckLoadTests.ruleIDs(try CheckLoadTests.json(try CommandLineTests.run("check", "--load", "--format", "json", path)))
        #expect(ids == [Rule.modelLoaded.id, Rule.zeroInputPredicted.id])
        let off = CheckLoadTests.ruleIDs(try CheckLoadTests.json(try CommandLineTests.run("check", "--load", "--predict-seconds", "0", "--format", "json", path)))
        #expect(off == [Rule.loadNotBounded.id])
    }

    @Test func limitsOutsideTheirRangesAreUsageErrors() throws {
        for arguments in [["--predict-memory", "8"], ["--predict-memory", "99999999999"], ["--predict-seconds", "-1"], ["--predict-seconds", "99999999999999"]] {
            let run = try CommandLineTests.execute(["check", "--load"] + arguments + ["Corpus/golden/seq_mlp.keras"])
            #expect(run.status == 2, "\(arguments): \(run.error)")
        }
    }

    @Test func predictSecondsZeroTurnsItOff() throws {
        let run = try CommandLineTests.run("check", "--load", "--predict-seconds", "0", "--format", "json", "Corpus/golden/conv_bn.keras")
        let ids = CheckLoadTests.ruleIDs(try CheckLoadTests.json(run))
        #expect(ids == [Rule.modelLoaded.id])
    }

    /// A weightless model whose one zero sample grows to 2.3 billion floats (9.2 GB): the child goes over
    /// its 4 GiB and the parent reports it as a warning, in seconds, without holding the memory itself.
    @Test func modelBeyondTheMemoryLimitIsAWarning() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kconform-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = CommandLineTests.repositoryRoot.appendingPathComponent("Corpus/golden/zoo/pooling.keras")
        let archive = try ZipArchive.read(try ByteView(mappingFileAt: source.path))
        for name in ["model.weights.h5", "metadata.json"] {
            let entry = try #require(archive.entry(named: name))
            try Data(try archive.contents(of: entry).bytes).write(to: folder.appendingPathComponent(name))
        }
        let config = #"""
            {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "big", "trainable": true, "layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 6000, 6000, 4], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer", "optional": false}, "registered_name": null, "name": "input_layer", "inbound_nodes": []}, {"module": "keras.layers", "class_name": "UpSampling2D", "config": {"name": "up", "trainable": true, "dtype": "float32", "size": [4, 4], "data_format": "channels_last", "interpolation": "nearest"}, "registered_name": null, "build_config": {"input_shape": [null, 6000, 6000, 4]}, "name": "up", "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 6000, 6000, 4], "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}], "kwargs": {}}]}], "input_layers": [["input_layer", 0, 0]], "output_layers": [["up", 0, 0]]}, "registered_name": null, "build_config": {"input_shape": null}}
            """#
        try Data(config.utf8).write(to: folder.appendingPathComponent("config.json"))
        let run = try CommandLineTests.run("check", "--load", "--format", "json", folder.path)
        let ids = CheckLoadTests.ruleIDs(try CheckLoadTests.json(run))
        #expect(ids.contains(Rule.modelLoaded.id))
        #expect(ids.contains(Rule.zeroInputPredictLimit.id), "\(ids)")
        #expect(run.status == 0)
    }
}
