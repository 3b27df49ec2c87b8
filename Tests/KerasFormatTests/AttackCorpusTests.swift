import Foundation
import KerasBytes
import KerasFormat
import KerasJSON
import KerasZip
import Testing

/// Every reproducer of Corpus/attacks is flagged with its rules; nothing Keras writes has an error.
@Suite struct AttackCorpusTests {
    /// Fewer reproducers than this means the corpus went missing, not that everything passed.
    static let minimumReproducers = 40
    static let threatClasses = ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "B1", "B2", "B3", "B4", "B5", "B6", "B7",
                                "C1", "C2", "C3", "C4", "C5", "C6"]

    @Test func manifestCoversEveryThreatClass() throws {
        let manifest = try #require(AttackCorpus.manifest, "Corpus/attacks/MANIFEST.json is missing or unreadable")
        #expect(manifest.reproducers.count >= Self.minimumReproducers)
        #expect(Set(manifest.reproducers.map(\.threat)) == Set(Self.threatClasses))
        for reproducer in manifest.reproducers {
            #expect(!reproducer.expected.isEmpty && reproducer.why.count > 60, "\(reproducer.file)")
            for id in reproducer.expected { #expect(RuleCatalogue.rule(id: id) != nil, "\(reproducer.file): \(id)") }
            #expect(FileManager.default.fileExists(atPath: AttackCorpus.path(reproducer.file)), "\(reproducer.file)")
        }
    }

    @Test(arguments: AttackCorpus.manifest?.reproducers ?? [])
    func reproducerIsFlaggedWithItsRules(reproducer: AttackCorpus.Reproducer) throws {
        let result = try Checker().check(AttackCorpus.path(reproducer.file))
        let found = Set(result.findings.map(\.ruleID))
        for id in reproducer.expected {
            #expect(found.contains(id), "\(reproducer.file) lacks \(id): \(result.findings.map(\.description))")
        }
        let expectedSeverity = reproducer.expected.compactMap { RuleCatalogue.rule(id: $0)?.severity }.max() ?? .error
        #expect(result.findings.contains { $0.severity >= expectedSeverity })
    }

    @Test(arguments: AttackCorpus.manifest?.benign ?? [])
    func benignNeighbourHasNoErrorAndOnlyItsWarnings(benign: AttackCorpus.Benign) throws {
        let result = try AttackCorpus.checker(allowFile: benign.allowFile).check(AttackCorpus.path(benign.file))
        #expect(result.passed, "\(result.findings.filter { $0.severity == .error }.map(\.description))")
        let warnings = Set(result.findings.filter { $0.severity == .warning }.map(\.ruleID))
        #expect(warnings == Set(benign.warnings), "\(benign.file)")
    }

    @Test func customObjectsAreErrorsUntilRegistered() throws {
        let path = AttackCorpus.path("benign/custom_registered.keras")
        let unregistered = try Checker().check(path)
        #expect(unregistered.findings.filter { $0.severity == .error }.map(\.ruleID) == ["KC-SAFE-002", "KC-SAFE-002"])
        #expect(try AttackCorpus.checker(allowFile: "benign/allow.txt").check(path).passed)
    }

    /// Every modelling object Keras 3.15.1 builds without data, as serialize_keras_object writes it, passes the policy.
    @Test func everySerializedKerasObjectPassesThePolicy() throws {
        let archive = try ZipArchive.read(try ByteView(mappingFileAt: AttackCorpus.path("benign/keras_objects.json.zip")))
        let document = try JSONReader.parse(try archive.contents(of: try #require(archive.entry(named: "keras_objects.json"))))
        #expect(document["keras_version"]?.stringValue == SafetyPolicy.kerasVersion)
        let objects = try #require(document["objects"]?.arrayValue)
        #expect(objects.count >= 250)
        let findings = SafetyPolicy().scan(config: .array(objects), at: Location(file: "keras_objects.json"))
        let unexpected = findings.filter { !["KC-SAFE-008", "KC-SAFE-009"].contains($0.ruleID) }
        #expect(unexpected.isEmpty, "\(unexpected.prefix(10).map(\.description))")
    }

    /// Zero false alarms: every file real Keras wrote (golden corpus and the benign neighbours) has no error.
    @Test(arguments: CorpusLocation.goldenModelPaths())
    func kerasWrittenFileHasNoSafetyFinding(path: String) throws {
        let result = try Checker().check(path)
        #expect(result.passed)
        let safety = result.findings.filter { RuleCatalogue.rule(id: $0.ruleID)?.source == .safety }
        #expect(safety.isEmpty, "\(safety.map(\.description))")
    }
}
