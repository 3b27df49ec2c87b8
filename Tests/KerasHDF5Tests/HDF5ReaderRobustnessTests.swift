import KerasBytes
import Testing
@testable import KerasHDF5

/// Truncated and mutated files end in an ``HDF5Error``: never a crash, a hang or an unbounded allocation.
@Suite struct HDF5ReaderRobustnessTests {
    /// Default limits with a 64 MiB dataset cap, so that mutated shapes cannot make a test allocate GBs.
    static let mutationLimits: HDF5Limits = {
        var limits = HDF5Limits()
        limits.maxDeclaredDatasetBytes = 1 << 26
        return limits
    }()

    /// Opens `bytes` and reads every dataset; returns the error, if any.
    static func exercise(_ bytes: [UInt8], limits: HDF5Limits = HDF5Limits()) -> HDF5Error? {
        do throws(HDF5Error) {
            let file = try HDF5File.open(ByteView(copying: bytes), limits: limits)
            var firstError: HDF5Error?
            file.walk { node in
                guard case let .dataset(dataset) = node, firstError == nil else { return }
                do throws(HDF5Error) { _ = try file.data(of: dataset) } catch { firstError = error }
            }
            return firstError
        } catch {
            return error
        }
    }

    @Test(arguments: ["keras_earliest", "links", "track_order"])
    func everyStrictPrefixIsRejected(name: String) throws {
        let bytes = try ReaderTestFixtures.bytes(name).bytes
        var codes: Set<String> = []
        for length in 0..<bytes.count {
            let error = Self.exercise(Array(bytes.prefix(length)))
            #expect(error != nil, "prefix of \(length) bytes was accepted")
            if let error { codes.insert(error.code.name) }
        }
        #expect(codes.isSubset(of: ["superblockNotFound", "fileTruncated"]))
    }

    @Test func strictPrefixesWithTheirEndOfFileAddressPatchedAreRejected() throws {
        // Prefixes that claim to be whole files (end-of-file address set to their length) exercise
        // every structure's own bounds check rather than the superblock's.
        let bytes = try ReaderTestFixtures.bytes("keras_earliest").bytes
        let endOfFileField = 8 + 16 + 8 + 8
        for length in stride(from: 96, to: bytes.count, by: 7) {
            var prefix = Array(bytes.prefix(length))
            for index in 0..<8 { prefix[endOfFileField + index] = UInt8(truncatingIfNeeded: UInt64(length) >> UInt64(8 * index)) }
            #expect(Self.exercise(prefix, limits: Self.mutationLimits) != nil, "patched prefix of \(length) bytes was accepted")
        }
    }

    @Test(arguments: ReaderTestFixtures.names)
    func randomByteFlipsNeverCrash(name: String) throws {
        let original = try ReaderTestFixtures.bytes(name).bytes
        var random = ReaderTestRandom(seed: UInt64(name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        var rejected = 0
        let rounds = 400
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<rounds {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] = UInt8.random(in: 0...255, using: &random)
            }
            if Self.exercise(bytes, limits: Self.mutationLimits) != nil { rejected += 1 }
        }
        #expect(rejected > 0)
        #expect(clock.now - start < .seconds(240))
    }

    @Test func randomFlipsInsideMetadataAreRejectedOrHarmless() throws {
        // Version 2+ metadata carries checksums: almost every flip there must be detected.
        let original = try ReaderTestFixtures.bytes("keras_latest").bytes
        var random = ReaderTestRandom(seed: 7)
        var accepted = 0
        for _ in 0..<300 {
            var bytes = original
            let index = Int.random(in: 0..<96, using: &random)
            bytes[index] ^= UInt8.random(in: 1...255, using: &random)
            if Self.exercise(bytes, limits: Self.mutationLimits) == nil { accepted += 1 }
        }
        #expect(accepted < 30)
    }
}
