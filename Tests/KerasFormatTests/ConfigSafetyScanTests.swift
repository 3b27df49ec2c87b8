import KerasFormat
import KerasJSON
import Testing

/// The safety scan over whole configs: every value at every depth, each finding with its JSON pointer.
@Suite struct ConfigSafetyScanTests {
    let here = Location(file: "model.keras", member: "config.json")

    func scan(_ text: String, policy: SafetyPolicy = SafetyPolicy()) throws -> [Finding] {
        policy.scan(config: try JSONReader.parse(text), at: here)
    }

    static let code = #"["4wEAAAAAAAAA", null, null]"#

    @Test func lambdaMarkerIsFoundAtAnyDepthWithItsPointer() throws {
        let depth = 250
        var text = #"{"class_name": "__lambda__", "config": {"value": \#(Self.code)}}"#
        for _ in 0..<depth { text = #"{"a": [\#(text)]}"# }
        let findings = try scan(text)
        #expect(findings.map(\.ruleID) == ["KC-SAFE-001"])
        #expect(findings.first?.location.jsonPointer == String(repeating: "/a/0", count: depth))
        #expect(findings.first?.location.member == "config.json")
    }

    @Test func keras2LambdaFormsAreCode() throws {
        let listForm = #"{"class_name": "Lambda", "config": {"function": \#(Self.code), "function_type": "lambda", "module": "__main__"}}"#
        let findings = try scan(listForm)
        #expect(findings.map(\.ruleID) == ["KC-SAFE-001"])
        #expect(findings.first?.location.jsonPointer == "/config/function")
        let shape = #"{"output_shape": \#(Self.code), "output_shape_type": "lambda"}"#
        #expect(try scan(shape).map(\.location.jsonPointer) == ["/output_shape"])
        #expect(try scan(#"{"activation": {"value": \#(Self.code)}}"#).map(\.ruleID) == ["KC-SAFE-001"])
    }

    @Test func keras2NamedFunctionsAreResolvedWithTheirModule() throws {
        let foreign = #"{"class_name": "Lambda", "config": {"function": "system", "function_type": "function", "module": "os"}}"#
        #expect(try scan(foreign).map(\.ruleID) == ["KC-SAFE-002"])
        let keras = #"{"class_name": "Lambda", "config": {"function": "relu", "function_type": "function", "module": "keras.activations"}}"#
        #expect(try scan(keras).map(\.ruleID) == ["KC-SAFE-008"])
    }

    @Test func lambdaOfAnAllowListedFunctionIsOnlyAWarning() throws {
        let text = #"{"module": "keras.layers", "class_name": "Lambda", "config": {"name": "l", "function": {"module": "builtins", "class_name": "function", "config": "relu", "registered_name": "function"}}, "registered_name": null}"#
        let findings = try scan(text)
        #expect(findings.map(\.ruleID) == ["KC-SAFE-008"])
        #expect(findings.allSatisfy { $0.severity == .warning })
    }

    @Test func functionReferencesAreCheckedInEveryField() throws {
        let text = #"{"module": "keras.layers", "class_name": "Dense", "config": {"units": 1, "kernel_initializer": {"module": "keras.utils", "class_name": "function", "config": "get_file", "registered_name": "function"}}, "registered_name": null}"#
        let findings = try scan(text)
        #expect(findings.map(\.ruleID) == ["KC-SAFE-003"])
        #expect(findings.first?.location.jsonPointer == "/config/kernel_initializer")
    }

    @Test func vocabularyPathsAndForeignCodeLayersAreReported() throws {
        let lookup = #"{"module": "keras.layers", "class_name": "StringLookup", "config": {"vocabulary": "/etc/passwd"}, "registered_name": null}"#
        #expect(try scan(lookup).map(\.location.jsonPointer) == ["/config/vocabulary"])
        let inline = #"{"module": "keras.layers", "class_name": "StringLookup", "config": {"vocabulary": ["a", "b"]}, "registered_name": null}"#
        #expect(try scan(inline).isEmpty)
        let jax = #"{"module": "keras.layers", "class_name": "JaxLayer", "config": {"call_fn": {"module": "builtins", "class_name": "function", "config": "my>fn", "registered_name": "function"}}, "registered_name": null}"#
        #expect(try scan(jax).map(\.ruleID).sorted() == ["KC-SAFE-002", "KC-SAFE-009"])
    }

    @Test func dataMarkersAndPlainDictsAreNotReferences() throws {
        let text = #"{"a": {"class_name": "__numpy__", "config": {"value": [1], "dtype": "float32"}}, "b": {"class_name": "__keras_tensor__", "config": {"shape": [null], "dtype": "float32", "keras_history": ["x", 0, 0]}}, "c": {"class_name": "NotEnvelope"}}"#
        #expect(try scan(text).isEmpty)
    }

    @Test func registrationsSilenceOnlyTheirObjects() throws {
        let text = #"[{"module": "acme.layers", "class_name": "Block", "config": {}, "registered_name": "acme>Block"}, {"module": "other", "class_name": "Thing", "config": {}, "registered_name": "other>Thing"}]"#
        let policy = SafetyPolicy(registrations: [AllowRegistration("acme>*")!])
        let findings = try scan(text, policy: policy)
        #expect(findings.map(\.location.jsonPointer) == ["/1"])
    }

    @Test func aPayloadIsReportedOncePerRuleAndPlace() throws {
        let text = #"{"class_name": "Lambda", "config": {"function": \#(Self.code), "function_type": "lambda"}}"#
        #expect(try scan(text).count == 1)
    }

    @Test func deepestAcceptedConfigIsScannedWithoutRecursion() throws {
        var limits = JSONLimits()
        limits.maxDepth = 4_000
        let depth = 3_000
        let text = String(repeating: "[", count: depth) + #"{"class_name": "__lambda__", "config": {}}"# + String(repeating: "]", count: depth)
        let value = try JSONReader.parse(text, limits: limits)
        let findings = SafetyPolicy().scan(config: value, at: here)
        #expect(findings.count == 1)
        withExtendedLifetime(value) {}
    }
}
