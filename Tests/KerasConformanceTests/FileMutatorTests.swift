import Foundation
import KerasBytes
@testable import KerasConformance
import KerasHDF5
import KerasZip
import Testing

/// The golden files the conformance properties run over: every `.keras`, `.weights.h5` and `.h5` directly
/// in `Corpus/golden` and `Corpus/golden/zoo`, sorted, with a fixed seed per file.
enum MutatorCorpus {
    static var root: String {
        let tests = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast(3)
        return (tests + ["Corpus", "golden"]).joined(separator: "/")
    }

    /// Paths relative to `Corpus/golden`.
    static let files: [String] = {
        var files: [String] = []
        for directory in ["", "zoo/"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + directory)) ?? []
            files += names.filter { $0.hasSuffix(".keras") || $0.hasSuffix(".h5") }.map { directory + $0 }
        }
        return files.sorted()
    }()

    static var archives: [String] { files.filter { $0.hasSuffix(".keras") } }

    static func bytes(_ file: String) throws -> [UInt8] {
        try #require(FileManager.default.contents(atPath: root + "/" + file).map(Array.init), "\(file) is missing")
    }

    /// FNV-1a of the name: a seed that is the same in every run (`hashValue` is not).
    static func seed(_ file: String) -> UInt64 {
        file.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}

@Suite struct FileMutatorTests {
    /// One archive, one weights file and one legacy file between them offer every kind.
    static let samples = ["func_two_inputs.keras", "seq_mlp.weights.h5", "legacy_mlp.h5"]

    @Test func corpusHoldsArchivesAndHDF5Files() {
        #expect(MutatorCorpus.archives.count >= 30)
        #expect(MutatorCorpus.files.count(where: { $0.hasSuffix(".h5") }) >= 5)
    }

    @Test func everyKindIsApplicableToOneOfTheSamples() throws {
        var kinds = Set<FileMutation.Kind>()
        for sample in Self.samples { kinds.formUnion(FileMutator(bytes: try MutatorCorpus.bytes(sample), name: sample).applicableKinds) }
        #expect(kinds == Set(FileMutation.Kind.allCases))
    }

    @Test func familiesFollowTheFileKind() throws {
        let archive = FileMutator(bytes: try MutatorCorpus.bytes("func_two_inputs.keras"), name: "a.keras")
        #expect(archive.applicableFamilies == [.bytes, .zip, .hdf5, .json])
        #expect(archive.applicableKinds.count == FileMutation.Kind.allCases.count)
        let weights = FileMutator(bytes: try MutatorCorpus.bytes("seq_mlp.weights.h5"), name: "w.weights.h5")
        #expect(weights.applicableFamilies == [.bytes, .hdf5])
        let legacy = FileMutator(bytes: try MutatorCorpus.bytes("legacy_mlp.h5"), name: "l.h5")
        #expect(legacy.applicableFamilies == [.bytes, .hdf5, .json])
        let noise = FileMutator(bytes: Array("not a model".utf8), name: "x.keras")
        #expect(noise.applicableFamilies == [.bytes])
        #expect(FileMutator(bytes: [], name: "empty").applicableKinds == [.insertBytes])
    }

    /// 20 seeds per kind per sample (about 1,000 mutations).
    @Test(arguments: samples)
    func everyApplicableKindChangesTheBytes(sample: String) throws {
        let mutator = FileMutator(bytes: try MutatorCorpus.bytes(sample), name: sample)
        for kind in mutator.applicableKinds {
            for seed in 0..<20 as Range<UInt64> {
                var choices = Choices(seed: seed)
                let mutation = try #require(mutator.mutate(kind, &choices), "\(kind) seed \(seed)")
                #expect(mutation.kind == kind)
                #expect(mutation.bytes != mutator.original, "\(mutation)")
                #expect(!mutation.detail.isEmpty)
            }
        }
    }

    /// 300 draws from one seed reach every applicable kind of an archive.
    @Test func drawsReachEveryApplicableKind() throws {
        let mutator = FileMutator(bytes: try MutatorCorpus.bytes("func_two_inputs.keras"), name: "a.keras")
        var choices = Choices(seed: 7)
        var seen = Set<FileMutation.Kind>()
        for _ in 0..<300 {
            let mutation = mutator.mutate(&choices)
            #expect(mutation.bytes != mutator.original)
            seen.insert(mutation.kind)
        }
        #expect(seen == Set(mutator.applicableKinds))
    }

    @Test func aSeedReplaysTheSameMutation() throws {
        let mutator = FileMutator(bytes: try MutatorCorpus.bytes("nested.keras"), name: "n.keras")
        for seed in 0..<10 as Range<UInt64> {
            var first = Choices(seed: seed)
            var second = Choices(seed: seed)
            let a = mutator.mutate(&first)
            let b = mutator.mutate(&second)
            #expect(a.bytes == b.bytes && a.detail == b.detail)
        }
    }

    @Test func exhaustedBytesStillGiveAMutation() throws {
        let mutator = FileMutator(bytes: try MutatorCorpus.bytes("seq_mlp.keras"), name: "s.keras")
        var choices = Choices(bytes: [])
        #expect(mutator.mutate(&choices).bytes != mutator.original)
    }

    @Test func reassemblingWithoutChangesKeepsEveryMember() throws {
        let bytes = try MutatorCorpus.bytes("func_two_inputs.keras")
        let model = try #require(FileMutator.ZipModel(bytes))
        let original = try ZipArchive.read(ByteView(copying: bytes))
        let rebuilt = try ZipArchive.read(ByteView(copying: model.assemble()))
        #expect(rebuilt.issues.isEmpty, "\(rebuilt.issues)")
        #expect(rebuilt.entries.map(\.name) == original.entries.map(\.name))
        for (mine, theirs) in zip(rebuilt.entries, original.entries) {
            #expect(try rebuilt.contents(of: mine).bytes == original.contents(of: theirs).bytes)
        }
    }

    @Test func reorderedArchivesStayValid() throws {
        let mutator = FileMutator(bytes: try MutatorCorpus.bytes("func_two_inputs.keras"), name: "a.keras")
        for kind in [FileMutation.Kind.zipReorderEntries, .zipReorderCentralDirectory] {
            var choices = Choices(seed: 3)
            let mutation = try #require(mutator.mutate(kind, &choices))
            let archive = try ZipArchive.read(ByteView(copying: mutation.bytes))
            #expect(archive.verifyAll().isEmpty, "\(mutation)")
            #expect(Set(archive.entries.map(\.name)) == ["metadata.json", "config.json", "model.weights.h5"])
        }
    }

    /// Replaced members carry a correct CRC, so the member's own parser is reached.
    @Test func replacedMembersPassTheZipChecks() throws {
        let mutator = FileMutator(bytes: try MutatorCorpus.bytes("func_two_inputs.keras"), name: "a.keras")
        for kind in [FileMutation.Kind.zipReplaceMember, .hdf5RedirectAddress, .hdf5ChangeDimension, .jsonDeleteSubtree, .jsonRetypeSubtree] {
            for seed in 0..<5 as Range<UInt64> {
                var choices = Choices(seed: seed)
                let mutation = try #require(mutator.mutate(kind, &choices))
                let archive = try ZipArchive.read(ByteView(copying: mutation.bytes))
                #expect(archive.verifyAll().isEmpty, "\(mutation)")
            }
        }
    }

    @Test func duplicatedEntriesAreSeenAsDuplicates() throws {
        let mutator = FileMutator(bytes: try MutatorCorpus.bytes("seq_mlp.keras"), name: "s.keras")
        var choices = Choices(seed: 1)
        let mutation = try #require(mutator.mutate(.zipDuplicateEntry, &choices))
        let archive = try ZipArchive.read(ByteView(copying: mutation.bytes))
        #expect(archive.entries.count == 4)
        #expect(archive.issues.map(\.code).contains(ZipError.Code.duplicateName))
    }

    @Test func theHDF5MapFindsAddressesDimensionsAndSignatures() throws {
        let image = try MutatorCorpus.bytes("seq_mlp.weights.h5")
        let map = try #require(FileMutator.HDF5Map(image))
        let file = try #require(map.file)
        #expect(map.pointerSites.contains(64), "the superblock's root object header address")
        #expect(map.targets.contains(file.root.address))
        let labels = Set(map.signatures.map(\.label))
        #expect(labels.isSuperset(of: ["superblock", "TREE", "HEAP", "SNOD"]))
        var ranks = 0
        file.walk { node in if case .dataset(let dataset) = node { ranks += dataset.shape.count } }
        #expect(ranks > 0)
        #expect(map.dimensionFields.count == ranks)
        for field in map.dimensionFields { #expect(field.offset + 8 <= image.count) }
    }

    @Test func legacyConfigsAreMutatedInPlace() throws {
        let bytes = try MutatorCorpus.bytes("legacy_mlp.h5")
        let mutator = FileMutator(bytes: bytes, name: "l.h5")
        for seed in 0..<10 as Range<UInt64> {
            var choices = Choices(seed: seed)
            let mutation = try #require(mutator.mutate(.jsonDeleteSubtree, &choices))
            #expect(mutation.bytes.count == bytes.count)
            #expect(mutation.detail.contains("/@model_config"))
        }
    }
}
