import Foundation
@testable import KerasConformance
import KerasJSON
import Testing

/// What the generator reaches over 400 models of seed 1: every layer class it knows, both model kinds,
/// every dtype policy, nested models, and compile configs with every optimizer.
struct GeneratorCoverageTests {
    static let models = (0..<400).map { GeneratedCase(seed: 1, index: $0).model }

    @Test func everyLayerClassAndPolicyIsDrawn() {
        let drawn = Set(Self.models.flatMap(\.layerClasses))
        let missing = LayerSampler.allClasses.filter { !drawn.contains($0) }
        #expect(missing.isEmpty, "never drawn: \(missing)")
        #expect(Set(Self.models.map(\.policy)) == ["float32", "float16", "bfloat16", "mixed_float16", "mixed_bfloat16"])
        #expect(Set(Self.models.map(\.kind)) == [.sequential, .functional])
        #expect(drawn.contains("Sequential") || drawn.contains("Functional"), "no nested model")
    }

    @Test func compileConfigsCoverEveryOptimizerAndBothLossForms() {
        let compiled = Self.models.compactMap { $0.config["compile_config"] }.filter { $0["optimizer"] != nil }
        #expect(compiled.count > 60)
        let optimizers = Set(compiled.compactMap { $0["optimizer"]?["class_name"]?.stringValue })
        #expect(optimizers == Set(TemplateCatalogue.shared.names("optimizers")))
        #expect(compiled.contains { $0["loss"]?.stringValue != nil } && compiled.contains { $0["loss"]?["class_name"] != nil })
        #expect(compiled.contains { $0["optimizer"]?["config"]?["learning_rate"]?["class_name"] != nil }, "no learning-rate schedule")
    }
}
