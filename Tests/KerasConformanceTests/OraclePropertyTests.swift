import KerasBytes
@testable import KerasConformance
import Testing

@Suite struct OraclePropertyTests {
    /// Every golden `.keras`, `.weights.h5` and `.h5` (46 files when written): each archive member by
    /// member through KerasZip and libzip, each HDF5 image node by node through KerasHDF5 and libhdf5.
    @Test(arguments: MutatorCorpus.files)
    func goldenFilesReadTheSameThroughTheCLibraries(file: String) throws {
        let report = try OracleProperty.check(bytes: try MutatorCorpus.bytes(file), name: file)
        #expect(report.hdf5Images >= 1, "every golden file is or holds HDF5 weights")
        #expect(report.hdf5Nodes > 1)
        if file.hasSuffix(".keras") {
            #expect(report.archives == 1)
            #expect(report.members >= 3)
        } else {
            #expect(report.archives == 0)
        }
    }

    @Test func bytesThatAreNeitherZipNorHDF5AreAViolation() {
        #expect(throws: PropertyViolation.self) { try OracleProperty.check(bytes: Array("plain text".utf8), name: "t") }
    }

    @Test func anArchiveEitherReaderRefusesIsAViolation() throws {
        let bytes = try MutatorCorpus.bytes("seq_mlp.keras")
        #expect(throws: PropertyViolation.self) { try OracleProperty.check(bytes: Array(bytes.dropLast(3)), name: "cut.keras") }
        let mutator = FileMutator(bytes: bytes, name: "seq_mlp.keras")
        var choices = Choices(seed: 5)
        let mutation = try #require(mutator.mutate(.zipTruncateMember, &choices))
        #expect(throws: PropertyViolation.self) { try OracleProperty.check(bytes: mutation.bytes, name: "truncated.keras") }
    }

    @Test func anHDF5ImageWithADamagedSignatureIsAViolation() throws {
        var image = try MutatorCorpus.bytes("seq_mlp.weights.h5")
        image[1] ^= 0xFF
        #expect(throws: PropertyViolation.self) { try OracleProperty.checkHDF5(image, label: "damaged") }
    }

    @Test func reportsAddUp() {
        var one = OracleProperty.Report()
        one.archives = 1
        one.members = 3
        var two = OracleProperty.Report()
        two.hdf5Images = 2
        two.hdf5Nodes = 9
        let sum = one + two
        #expect(sum.archives == 1 && sum.members == 3 && sum.hdf5Images == 2 && sum.hdf5Nodes == 9)
    }
}
