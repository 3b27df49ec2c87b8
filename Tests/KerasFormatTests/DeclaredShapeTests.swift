import Foundation
import KerasFormat
import KerasJSON
import KerasReference
import Testing

/// The variables a config declares, against the weights (`KC-W-014`), the budget (`KC-W-015`) and the reference core.
@Suite struct DeclaredShapeTests {
    static let goldenPaths = CorpusLocation.goldenModelPaths()

    @Test func goldenCorpusHasEnoughModels() {
        #expect(Self.goldenPaths.count >= 40)
    }

    @Test(arguments: goldenPaths)
    func goldenFileHasNoDeclaredShapeFinding(path: String) throws {
        let file = try KerasFile.open(path)
        #expect(DeclaredShapeCheck().findings(file).isEmpty)
    }

    /// Every object whose shapes kconform derives from the config has exactly the variables the reference core builds.
    @Test(arguments: goldenPaths.filter { $0.hasSuffix(".keras") })
    func derivedShapesAgreeWithTheReferenceCore(path: String) throws {
        let file = try KerasFile.open(path)
        let declared = DeclaredVariables(try #require(file.config))
        let model = try loadModel(file)
        let built = Dictionary(model.saveableObjects.map { ($0.path, $0.layer.variables.map(\.shape)) }, uniquingKeysWith: { first, _ in first })
        var compared = 0
        for object in declared.objects {
            guard let shapes = object.shapes else { continue }
            #expect(built[object.path] == shapes, "\(object.path) (\(object.className)): \(shapes) vs \(String(describing: built[object.path]))")
            compared += 1
        }
        #expect(compared > 0)
    }

    @Test func shapeDisagreementNamesTheDatasetAndTheLayer() throws {
        let path = CorpusLocation.repositoryRoot.appendingPathComponent("Corpus/attacks/b5_config_shape_mismatch.keras").path
        let findings = DeclaredShapeCheck().findings(try KerasFile.open(path))
        let mismatch = try #require(findings.first { $0.ruleID == Rule.configShapeMismatch.id })
        #expect(mismatch.location.member == "model.weights.h5")
        #expect(mismatch.location.hdf5Path == "/layers/dense/vars/0")
        #expect(mismatch.location.jsonPointer == "/config/layers/1")
        #expect(!findings.contains { $0.ruleID == Rule.variableBudget.id })
    }

    /// Variable i is compared with key "i", as Keras loads it: in `b1_external_link.keras` key 0 is an external
    /// link (not a dataset), and the bias under key 1 used to be compared with the kernel's declared shape
    /// (found by the security report run of 2026-11-22).
    @Test func aMissingKeyDoesNotShiftTheComparison() throws {
        let path = CorpusLocation.repositoryRoot.appendingPathComponent("Corpus/attacks/b1_external_link.keras").path
        let findings = DeclaredShapeCheck().findings(try KerasFile.open(path))
        #expect(findings.contains { $0.ruleID == Rule.configShapeMismatch.id && $0.message.contains("declares 2 variables, the weights hold 1") })
        #expect(!findings.contains { $0.message.contains("for variable 0") })
    }

    @Test func giganticLayerExceedsTheBudgetWithoutBeingBuilt() throws {
        let path = CorpusLocation.repositoryRoot.appendingPathComponent("Corpus/attacks/b5_config_giant_layer.keras").path
        let file = try KerasFile.open(path)
        let budget = try #require(DeclaredShapeCheck().findings(file).first { $0.ruleID == Rule.variableBudget.id })
        #expect(budget.location.jsonPointer == "/config/layers/1")
        #expect(DeclaredVariables(try #require(file.config)).totalElements == 16384 * 8192 + 8192)
        var generous = DeclaredShapeLimits()
        generous.maxUnstoredVariableElements = 1 << 30
        #expect(!DeclaredShapeCheck(limits: generous).findings(file).contains { $0.ruleID == Rule.variableBudget.id })
    }

    @Test func overflowingShapeIsImpossible() throws {
        let text = """
            {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [
             {"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", "units": 4611686018427387904},
              "build_config": {"input_shape": [null, 4611686018427387904]}}]}}
            """
        var findings: [Finding] = []
        let config = try #require(ModelConfig.parse(try JSONReader.parse(text), at: Location(file: "c"), findings: &findings))
        let declared = DeclaredVariables(config)
        #expect(declared.impossible?.shape == [4611686018427387904, 4611686018427387904])
        #expect(declared.totalElements == nil)
    }

    @Test func negativeUnitsAreImpossible() throws {
        let text = """
            {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [
             {"module": "keras.layers", "class_name": "Embedding", "config": {"name": "e", "input_dim": -5, "output_dim": 3}}]}}
            """
        var findings: [Finding] = []
        let config = try #require(ModelConfig.parse(try JSONReader.parse(text), at: Location(file: "c"), findings: &findings))
        #expect(DeclaredVariables(config).impossible?.shape == [-5, 3])
    }

    @Test func legacyChainIsFollowedBeforeItRuns() throws {
        let file = try KerasFile.open(CorpusLocation.golden.appendingPathComponent("legacy_mlp.h5").path)
        let declared = DeclaredVariables(try #require(file.config))
        #expect(declared.needsDryRun)
        let largest = try #require(declared.dryRunLargestTensor)
        #expect(largest > 0 && largest < 10_000)
    }

    @Test func upsamplingWithoutBuildConfigCountsItsFactor() throws {
        let text = """
            {"module": "keras", "class_name": "Functional", "config": {"name": "f", "layers": [
             {"module": "keras.layers", "class_name": "InputLayer", "config": {"name": "x", "batch_shape": [null, 4, 3]}},
             {"module": "keras.layers", "class_name": "UpSampling1D", "config": {"name": "u", "size": 1000000}}],
             "input_layers": [["x", 0, 0]], "output_layers": [["u", 0, 0]]}}
            """
        var findings: [Finding] = []
        let config = try #require(ModelConfig.parse(try JSONReader.parse(text), at: Location(file: "c"), findings: &findings))
        #expect(DeclaredVariables(config).dryRunLargestTensor == 12 * 1_000_000)
    }

    @Test func newRulesAreInTheCatalogueAsB5() {
        for rule in Rule.shapeRules {
            #expect(RuleCatalogue.rule(id: rule.id) == rule)
            #expect(rule.threat == .b5)
        }
    }
}
