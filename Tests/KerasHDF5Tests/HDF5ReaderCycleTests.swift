import KerasBytes
import Testing
@testable import KerasHDF5

/// Structures that point back at themselves or an ancestor are errors, found quickly.
@Suite struct HDF5ReaderCycleTests {
    static func offsets(of signature: String, in bytes: [UInt8]) -> [Int] {
        let pattern = Array(signature.utf8)
        return (0...(bytes.count - pattern.count)).filter { Array(bytes[$0..<($0 + pattern.count)]) == pattern }
    }

    static func put(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
        for index in 0..<8 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt64(8 * index)) }
    }

    static func load(_ offset: Int, _ bytes: [UInt8]) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << UInt64(8 * $1) }
    }

    static func expectFastCycle(_ bytes: [UInt8]) {
        let clock = ContinuousClock()
        let start = clock.now
        let error = HDF5ReaderRobustnessTests.exercise(bytes)
        #expect(error?.code == HDF5Error.Code.cycle, "\(error.map { "\($0)" } ?? "no error")")
        #expect(clock.now - start < .seconds(6))
    }

    @Test func bTreeChildPointingToItsParentIsACycle() throws {
        var bytes = try ReaderTestFixtures.bytes("many_links_earliest").bytes
        // The /many group's root node has level 1; its first child pointer follows the first key.
        let root = try #require(Self.offsets(of: "TREE", in: bytes).first { bytes[$0 + 4] == 0 && bytes[$0 + 5] == 1 })
        Self.put(UInt64(root), at: root + 24 + 8, in: &bytes)
        Self.expectFastCycle(bytes)
    }

    @Test func groupContainingItselfIsACycle() throws {
        var bytes = try ReaderTestFixtures.bytes("keras_earliest").bytes
        let file = try HDF5File.open(ByteView(copying: bytes))
        guard case let .group(dense)? = file.object(at: "/layers/dense") else { Issue.record("no group"); return }
        // Point the entry of /layers/dense/vars (in dense's symbol node) back at /layers/dense itself.
        guard case let .group(vars)? = file.object(at: "/layers/dense/vars") else { Issue.record("no vars"); return }
        let entries = Self.offsets(of: "SNOD", in: bytes).flatMap { node in
            (0..<(Int(bytes[node + 6]) | Int(bytes[node + 7]) << 8)).map { node + 8 + 40 * $0 }
        }
        let entry = try #require(entries.first { Self.load($0 + 8, bytes) == vars.address })
        Self.put(dense.address, at: entry + 8, in: &bytes)
        Self.expectFastCycle(bytes)
    }

    @Test func continuationBlockPointingBackIsACycle() throws {
        var bytes = try ReaderTestFixtures.bytes("keras_earliest").bytes
        let file = try HDF5File.open(ByteView(copying: bytes))
        guard case let .group(vars)? = file.object(at: "/layers/dense/vars") else { Issue.record("no vars"); return }
        // A version 1 header: the continuation message (type 0x10) is the first message of chunk 0.
        let header = Int(vars.address)
        #expect(bytes[header + 16] == 0x10)
        Self.put(UInt64(header + 16), at: header + 24, in: &bytes)
        Self.expectFastCycle(bytes)
    }

    @Test func aliasingBombsStopAtTheirBudgets() throws {
        // 2^20 paths through 21 groups that each link the next one twice.
        for (sample, code) in [
            ("objectLimitExceeded", HDF5Error.Code.objectLimitExceeded),
            ("metadataBytesLimitExceeded", HDF5Error.Code.metadataBytesLimitExceeded),
        ] {
            let bytes = try ByteView(mappingFileAt: HDF5InvalidCorpusTests.directory + "/\(sample).h5").bytes
            var limits = HDF5Limits()
            limits.maxObjects = 100_000
            limits.maxMetadataBytes = 16 << 20
            let clock = ContinuousClock()
            let start = clock.now
            #expect(HDF5ReaderRobustnessTests.exercise(bytes, limits: limits)?.code == code)
            #expect(clock.now - start < .seconds(60))
        }
    }
}
