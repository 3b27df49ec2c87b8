import KerasBytes
import KerasZip
import Testing

@Suite struct ZipErrorCodeTests {
    @Test func codesAreNumberedFromOneWithoutGapsOrRepeats() {
        let numbers = ZipError.Code.all.map(\.number)
        #expect(numbers == Array(1...ZipError.Code.all.count))
        #expect(Set(ZipError.Code.all.map(\.name)).count == ZipError.Code.all.count)
        #expect(ZipError.Code.all.allSatisfy { $0.domain == "ZIP" && !$0.summary.isEmpty })
    }

    @Test func everyCodeHasASampleOrAReason() {
        let sampled = Set(InvalidZipSamples.all.map(\.code))
        let missing = ZipError.Code.all.filter {
            !sampled.contains($0) && InvalidZipSamples.codesWithoutSample[$0] == nil
        }
        #expect(missing.isEmpty, "codes without a sample: \(missing.map(\.name))")
        #expect(InvalidZipSamples.codesWithoutSample.isEmpty)
    }

    @Test(arguments: InvalidZipSamples.all.map(\.code.name))
    func sampleYieldsExactlyItsCode(_ name: String) throws {
        let sample = try #require(InvalidZipSamples.all.first { $0.code.name == name })
        let codes = observedCodes(sample.bytes, limits: sample.limits ?? ZipLimits())
        #expect(Set(codes) == [sample.code], "\(name): got \(codes.map(\.name))")
        #expect(sample.bytes.count < 10_000)
    }

    @Test func equalityComparesTheCodeOnly() {
        let first = ZipError(ZipError.Code.crcMismatch, "one", offset: 1, member: "a")
        let second = ZipError(ZipError.Code.crcMismatch, "two", offset: 2, member: "b")
        #expect(first == second)
        #expect(first != ZipError(ZipError.Code.sizeMismatch, "one", offset: 1, member: "a"))
        #expect(first.location == "byte 1, member 'a'")
        #expect(first.description == "KC-ZIP-044 one (at byte 1, member 'a')")
    }
}
