import KerasFormat
import Testing

/// Rules about archive members and config structure, each shown by the smallest file that breaks it.
@Suite struct ArchiveRuleTests {
    @Test func minimalKerasShapedArchiveHasNoFindings() throws {
        let result = ModelFixture.check(try ModelFixture.archive(try ModelFixture.standardMembers()))
        #expect(result.findings.isEmpty, "\(result.findings)")
        #expect(result.datasetsRead == 2)
        #expect(result.kind == .kerasArchive)
    }

    @Test func missingConfigIsAnError() throws {
        let members = try ModelFixture.standardMembers().filter { $0.0 != "config.json" }
        let result = ModelFixture.check(try ModelFixture.archive(members))
        #expect(result.ruleIDs.contains(Rule.missingConfig.id))
        #expect(!result.passed)
    }

    @Test func missingWeightsIsAnError() throws {
        let members = try ModelFixture.standardMembers().filter { $0.0 != "model.weights.h5" }
        #expect(ModelFixture.check(try ModelFixture.archive(members)).ruleIDs.contains(Rule.missingWeights.id))
    }

    @Test func npzWeightsAreReportedAsUnloadable() throws {
        var members = try ModelFixture.standardMembers().filter { $0.0 != "model.weights.h5" }
        members.append(("model.weights.npz", [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)))
        #expect(ModelFixture.check(try ModelFixture.archive(members)).ruleIDs.contains(Rule.npzWeights.id))
    }

    @Test func missingMetadataIsOnlyAWarning() throws {
        let members = try ModelFixture.standardMembers().filter { $0.0 != "metadata.json" }
        let result = ModelFixture.check(try ModelFixture.archive(members))
        #expect(result.ruleIDs == [Rule.missingMetadata.id])
        #expect(result.passed)
    }

    @Test func unexpectedAndNestedMembersAreReported() throws {
        var members = try ModelFixture.standardMembers()
        members.append(("notes.txt", Array("hi".utf8)))
        members.append(("sub/config.json", Array("{}".utf8)))
        members.append(("assets/layers/lookup/vocabulary.txt", Array("a\nb".utf8)))
        let ids = ModelFixture.check(try ModelFixture.archive(members)).ruleIDs
        #expect(ids.filter { $0 == Rule.unexpectedMember.id }.count == 1)
        #expect(ids.contains(Rule.nestedModelMember.id))
    }

    @Test func memberOrderAndCompressionAreInfo() throws {
        let members = try ModelFixture.standardMembers()
        let reordered = [members[1], members[0], members[2]]
        let result = ModelFixture.check(try ModelFixture.archive(reordered, deflated: ["config.json"]))
        #expect(Set(result.ruleIDs) == [Rule.memberOrder.id, Rule.compressedMember.id])
        #expect(result.findings.allSatisfy { $0.severity == .info })
    }

    @Test func metadataWithoutVersionIsAWarning() throws {
        var members = try ModelFixture.standardMembers()
        members[0] = ("metadata.json", Array(#"{"date_saved": "x"}"#.utf8))
        #expect(ModelFixture.check(try ModelFixture.archive(members)).ruleIDs == [Rule.metadataShape.id])
    }

    @Test func invalidConfigJSONGivesTheJSONReadersRule() throws {
        let members = try ModelFixture.standardMembers(config: #"{"class_name": "Sequential", "config": {"#)
        let ids = ModelFixture.check(try ModelFixture.archive(members)).ruleIDs
        #expect(ids.count == 1)
        #expect(ids.first?.hasPrefix("KC-JSON-") == true)
    }

    @Test(arguments: [
        ("[]", Rule.configNotEnvelope.id),
        (#"{"class_name": "Sequential", "config": {"name": "s", "layers": {}}}"#, Rule.modelLayers.id),
        (#"{"class_name": "Sequential", "config": {"name": "s", "layers": [1]}}"#, Rule.modelLayers.id),
        (#"{"class_name": "Sequential", "config": {"layers": []}}"#, Rule.sequentialName.id),
        (#"{"module": 5, "class_name": "Sequential", "config": {"name": "s", "layers": []}}"#, Rule.envelopeFieldType.id),
        (#"{"class_name": "Dense", "config": null}"#, Rule.envelopeFieldType.id),
    ])
    func configStructureRules(config: String, ruleID: String) throws {
        let members = try ModelFixture.standardMembers(config: config)
        let ids = ModelFixture.check(try ModelFixture.archive(members)).ruleIDs
        #expect(ids.contains(ruleID), "\(ids)")
    }

    @Test func duplicateLayerNamesAreReportedWithTheFirstPointer() throws {
        let dense = #"{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", "units": 1}, "registered_name": null}"#
        let config = #"{"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [\#(dense), \#(dense)]}}"#
        let result = ModelFixture.check(try ModelFixture.archive(try ModelFixture.standardMembers(config: config)))
        let finding = try #require(result.findings.first { $0.ruleID == Rule.duplicateLayerName.id })
        #expect(finding.location.jsonPointer == "/config/layers/1")
        #expect(finding.message.contains("/config/layers/0"))
    }

    @Test func functionalReferencesToUnknownLayersAreErrors() throws {
        let input = #"{"module": "keras.layers", "class_name": "InputLayer", "config": {"name": "in", "batch_shape": [null, 3]}, "registered_name": null, "name": "in", "inbound_nodes": []}"#
        let tensor = #"{"class_name": "__keras_tensor__", "config": {"shape": [null, 3], "dtype": "float32", "keras_history": ["ghost", 0, 0]}}"#
        let dense = #"{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", "units": 1}, "registered_name": null, "name": "d", "inbound_nodes": [{"args": [\#(tensor)], "kwargs": {}}]}"#
        let config = #"{"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "f", "trainable": true, "layers": [\#(input), \#(dense)], "input_layers": [["in", 0, 0]], "output_layers": [["phantom", 0, 0]]}, "registered_name": "Functional"}"#
        let result = ModelFixture.check(try ModelFixture.archive(try ModelFixture.standardMembers(config: config)))
        let pointers = result.findings.filter { $0.ruleID == Rule.unknownLayerReference.id }.compactMap(\.location.jsonPointer)
        #expect(pointers == ["/config/output_layers/0", "/config/layers/1/inbound_nodes/0/args/0/config/keras_history"])
    }

    @Test func zipWithoutKerasExtensionIsAMismatch() throws {
        let bytes = try ModelFixture.archive(try ModelFixture.standardMembers())
        #expect(ModelFixture.check(bytes, name: "model.zip").ruleIDs == [Rule.extensionMismatch.id])
    }

    @Test func unclassifiableBytesAreReported() {
        let result = ModelFixture.check(Array("hello world".utf8), name: "model.bin")
        #expect(result.ruleIDs == [Rule.unrecognizedFile.id])
        #expect(result.kind == .unknown)
    }
}
