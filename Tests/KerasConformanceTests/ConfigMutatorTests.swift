import KerasBytes
@testable import KerasConformance
import KerasJSON
import KerasZip
import PropertyBased
import Testing

/// The `config.json` of a golden archive.
private func goldenConfig(_ file: String) throws -> JSONValue {
    let archive = try ZipArchive.read(ByteView(copying: try MutatorCorpus.bytes(file)))
    let entry = try #require(archive.entry(named: "config.json"))
    return try JSONReader.parse(try archive.contents(of: entry))
}

@Suite struct ConfigMutatorTests {
    /// Functional archives whose configs offer every kind (two inputs and a shared layer; a nested model).
    static let functional = ["func_two_inputs.keras", "nested.keras"]
    /// Archives the config property runs over: the Functional ones and a Sequential one.
    static let subjects = functional + ["seq_mlp.keras"]

    @Test(arguments: functional)
    func functionalConfigsOfferEveryKind(file: String) throws {
        let mutator = ConfigMutator(config: try goldenConfig(file))
        #expect(mutator.applicableKinds == ConfigMutation.Kind.allCases)
    }

    @Test func sequentialConfigsOfferNoGraphKinds() throws {
        let mutator = ConfigMutator(config: try goldenConfig("seq_mlp.keras"))
        #expect(mutator.applicableKinds == [.wrongFieldType, .missingField, .unknownClass, .unknownModule, .duplicateLayerName])
    }

    @Test func aConfigWithoutModelsOffersFieldKindsOnly() {
        let mutator = ConfigMutator(config: ["class_name": "Dense", "config": ["units": 3]])
        #expect(mutator.applicableKinds == [.wrongFieldType, .missingField])
        #expect(ConfigMutator(config: .array([])).applicableKinds.isEmpty)
    }

    /// 25 seeds per kind per Functional archive (400 mutations).
    @Test(arguments: functional)
    func everyKindChangesTheConfigAndNamesARule(file: String) throws {
        let config = try goldenConfig(file)
        let mutator = ConfigMutator(config: config)
        for kind in ConfigMutation.Kind.allCases {
            for seed in 0..<25 as Range<UInt64> {
                var choices = Choices(seed: seed)
                let mutation = try #require(mutator.mutate(kind, &choices))
                #expect(mutation.kind == kind)
                #expect(mutation.config != config, "\(mutation)")
                #expect(!mutation.expectedRuleIDs.isEmpty, "\(mutation)")
                #expect(mutation.detectedWhenRun == (kind == .layerCycle || kind == .danglingNodeIndex))
            }
        }
    }

    @Test func cyclesPointACallAtItselfOrAtACallItFeeds() throws {
        let config = try goldenConfig("func_two_inputs.keras")
        let mutator = ConfigMutator(config: config)
        var selfLoops = 0
        for seed in 0..<40 as Range<UInt64> {
            var choices = Choices(seed: seed)
            let mutation = try #require(mutator.mutate(.layerCycle, &choices))
            #expect(mutation.pointer.hasSuffix("/config/keras_history"))
            if mutation.detail.contains("its own output") { selfLoops += 1 }
        }
        #expect(selfLoops > 0 && selfLoops < 40)
    }

    @Test func danglingReferencesNameNoLayerOfTheModel() throws {
        let config = try goldenConfig("func_two_inputs.keras")
        var choices = Choices(seed: 11)
        let mutation = try #require(ConfigMutator(config: config).mutate(.danglingLayerReference, &choices))
        let path = mutation.pointer.split(separator: "/").map(String.init)
        var value = mutation.config
        for component in path { value = (Int(component).flatMap { value[$0] } ?? value[component]) ?? .null }
        #expect(value[0]?.stringValue?.hasPrefix("no_such_layer_") == true)
    }

    /// Deterministic: 12 seeds per kind per subject archive (each mutation read, checked, loaded and, for
    /// graph errors, run), every refusal carrying an expected rule id.
    @Test(arguments: subjects)
    func everyKindIsRefusedWithItsExpectedRule(file: String) throws {
        let property = RobustnessProperty()
        let subject = try #require(property.configSubject(archive: try MutatorCorpus.bytes(file), name: file))
        try #require(subject.loads && subject.runs)
        var report = RobustnessProperty.ConfigReport()
        for kind in subject.mutator.applicableKinds {
            for seed in 0..<12 as Range<UInt64> {
                var choices = Choices(seed: seed)
                let mutation = try #require(subject.mutator.mutate(kind, &choices))
                try property.checkConfig(mutation, in: subject, report: &report)
            }
        }
        #expect(report.mutations == subject.mutator.applicableKinds.count * 12)
        #expect(report.rejectedByRule.values.reduce(0, +) == report.mutations)
        #expect(report.undecided == 0)
    }

    /// Property-based, 150 cases of up to 48 choice bytes each (random each run; a failure shrinks the
    /// bytes and prints a `.fixedSeed` to replay it): the bytes pick an archive, a kind and its details.
    @Test func mutatedConfigsAreRefused() async throws {
        let property = RobustnessProperty()
        var subjects: [RobustnessProperty.ConfigSubject] = []
        for file in Self.subjects {
            subjects.append(try #require(property.configSubject(archive: try MutatorCorpus.bytes(file), name: file)))
        }
        let chosen = subjects
        await propertyCheck(count: 150, input: Gen.uint8().array(of: 0...48)) { bytes in
            var choices = Choices(bytes: bytes)
            let subject = choices.element(of: chosen)
            guard let mutation = subject.mutator.mutate(&choices) else {
                Issue.record("\(subject.name) offers no config mutation")
                return
            }
            var report = RobustnessProperty.ConfigReport()
            do throws(PropertyViolation) {
                try property.checkConfig(mutation, in: subject, report: &report)
            } catch {
                Issue.record("\(error)")
            }
            #expect(report.mutations == 1)
        }
    }
}
