import KerasBytes
@testable import KerasConformance
import Testing

@Suite struct RobustnessPropertyTests {
    /// The corpus run: per file 65 dense prefixes (0 to 64 bytes), 24 sampled ones, and 8 mutations
    /// (seeded by the file name), so about 97 inputs per file and 4,500 over the 46 golden files.
    static let corpusSettings: RobustnessProperty.Settings = {
        var settings = RobustnessProperty.Settings()
        settings.mutations = 8
        return settings
    }()

    @Test func prefixesAreDenseThenSampled() {
        let property = RobustnessProperty()
        #expect(property.prefixLengths(of: 0).isEmpty)
        #expect(property.prefixLengths(of: 10) == Array(0...9))
        let lengths = property.prefixLengths(of: 10_000)
        #expect(lengths.prefix(65) == Array(0...64)[...])
        #expect(lengths.count == 65 + 24)
        #expect(lengths.last == 9_999)
        #expect(zip(lengths, lengths.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test(arguments: MutatorCorpus.files)
    func goldenFilesSurvivePrefixesAndMutations(file: String) throws {
        let property = RobustnessProperty(settings: Self.corpusSettings)
        let bytes = try MutatorCorpus.bytes(file)
        var choices = Choices(seed: MutatorCorpus.seed(file))
        let report = try property.check(bytes: bytes, name: file, choices: &choices)
        #expect(report.prefixes == property.prefixLengths(of: bytes.count).count)
        #expect(report.mutations == Self.corpusSettings.mutations)
        #expect(report.inputs == report.prefixes + report.mutations)
        #expect(report.rejected + report.accepted == report.inputs)
        #expect(report.slowest <= Self.corpusSettings.budgetPerInput)
    }

    /// 4 config mutations per golden archive (seeded by the file name; archives whose unmutated config
    /// kconform refuses are skipped and counted).
    @Test func configMutationsOfGoldenArchivesAreRefused() throws {
        let property = RobustnessProperty()
        var total = RobustnessProperty.ConfigReport()
        for file in MutatorCorpus.archives {
            var choices = Choices(seed: MutatorCorpus.seed(file))
            total.merge(try property.checkConfigs(archive: try MutatorCorpus.bytes(file), name: file, mutations: 4, choices: &choices))
        }
        #expect(total.skippedArchives < MutatorCorpus.archives.count / 2, "most golden archives load")
        #expect(total.mutations == 4 * (MutatorCorpus.archives.count - total.skippedArchives))
        #expect(total.rejectedByRule.values.reduce(0, +) + total.undecided == total.mutations)
    }

    @Test func aValidFileLoadsAndItsPrefixIsRefusedWithARule() throws {
        let property = RobustnessProperty()
        let bytes = try MutatorCorpus.bytes("seq_mlp.keras")
        #expect(try property.evaluate(bytes, name: "seq_mlp.keras") == .accepted)
        let outcome = try property.evaluate(Array(bytes.dropLast()), name: "seq_mlp.keras")
        #expect(outcome.ruleID?.hasPrefix("KC-ZIP-") == true, "\(outcome)")
    }

    @Test func aMutationThatKeepsTheFileValidIsCountedAsAccepted() throws {
        let property = RobustnessProperty()
        let bytes = try MutatorCorpus.bytes("seq_mlp.keras")
        var choices = Choices(seed: 2)
        let mutation = try #require(FileMutator(bytes: bytes, name: "seq_mlp.keras").mutate(.zipReorderCentralDirectory, &choices))
        #expect(try property.evaluate(mutation.bytes, name: "seq_mlp.keras") == .accepted)
    }

    @Test func aPrefixThatLoadsIsAViolation() throws {
        // An archive followed by a stray byte: its longest strict prefix is the valid archive.
        let bytes = try MutatorCorpus.bytes("seq_mlp.keras") + [0]
        var settings = RobustnessProperty.Settings()
        settings.mutations = 0
        settings.sampledPrefixes = 1
        var choices = Choices(seed: 0)
        #expect(throws: PropertyViolation.self) {
            try RobustnessProperty(settings: settings).check(bytes: bytes, name: "seq_mlp.keras", choices: &choices)
        }
    }

    @Test func theTimeBudgetIsAsserted() throws {
        var settings = RobustnessProperty.Settings()
        settings.budgetPerInput = .zero
        #expect(throws: PropertyViolation.self) {
            try RobustnessProperty(settings: settings).evaluate(try MutatorCorpus.bytes("seq_mlp.keras"), name: "seq_mlp.keras")
        }
    }

    @Test func aConfigThatStillLoadsIsAViolation() throws {
        let property = RobustnessProperty()
        let subject = try #require(property.configSubject(archive: try MutatorCorpus.bytes("seq_mlp.keras"), name: "seq_mlp.keras"))
        let harmless = ConfigMutation(kind: .wrongFieldType, detail: "nothing changed", pointer: "", config: subject.mutator.original,
                                      expectedRuleIDs: [])
        var report = RobustnessProperty.ConfigReport()
        #expect(throws: PropertyViolation.self) { try property.checkConfig(harmless, in: subject, report: &report) }
    }

    @Test func aRefusalWithAnotherRuleIsAViolation() throws {
        let property = RobustnessProperty()
        let subject = try #require(property.configSubject(archive: try MutatorCorpus.bytes("seq_mlp.keras"), name: "seq_mlp.keras"))
        var choices = Choices(seed: 0)
        let real = try #require(subject.mutator.mutate(.duplicateLayerName, &choices))
        let mislabelled = ConfigMutation(kind: real.kind, detail: real.detail, pointer: real.pointer, config: real.config,
                                         expectedRuleIDs: ["KC-NOPE-001"])
        var report = RobustnessProperty.ConfigReport()
        #expect(throws: PropertyViolation.self) { try property.checkConfig(mislabelled, in: subject, report: &report) }
    }
}
