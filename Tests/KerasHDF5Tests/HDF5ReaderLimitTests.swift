import KerasBytes
import Testing
@testable import KerasHDF5

/// Every budget of ``HDF5Limits`` stops a valid file that needs more than it, with its own code.
@Suite struct HDF5ReaderLimitTests {
    struct Case: CustomStringConvertible, Sendable {
        let fixture: String
        let code: ErrorCode
        let limits: HDF5Limits
        var description: String { "\(code.name) on \(fixture)" }
    }

    static func limits(_ change: (inout HDF5Limits) -> Void) -> HDF5Limits {
        var limits = HDF5Limits()
        change(&limits)
        return limits
    }

    static let cases: [Case] = [
        Case(fixture: "keras_earliest", code: HDF5Error.Code.depthLimitExceeded, limits: limits { $0.maxDepth = 2 }),
        Case(fixture: "keras_earliest", code: HDF5Error.Code.objectLimitExceeded, limits: limits { $0.maxObjects = 50 }),
        Case(fixture: "keras_earliest", code: HDF5Error.Code.declaredBytesLimitExceeded, limits: limits { $0.maxDeclaredDatasetBytes = 40 }),
        Case(fixture: "keras_earliest", code: HDF5Error.Code.totalDeclaredBytesLimitExceeded, limits: limits { $0.maxTotalDeclaredBytes = 100 }),
        Case(fixture: "keras_earliest", code: HDF5Error.Code.rankLimitExceeded, limits: limits { $0.maxRank = 1 }),
        Case(fixture: "keras_earliest", code: HDF5Error.Code.attributeBytesLimitExceeded, limits: limits { $0.maxAttributeBytes = 8 }),
        Case(fixture: "keras_earliest", code: HDF5Error.Code.attributeBytesLimitExceeded, limits: limits { $0.maxTotalAttributeBytes = 64 }),
        Case(fixture: "keras_earliest", code: HDF5Error.Code.stringLengthLimitExceeded, limits: limits { $0.maxStringLength = 16 }),
        Case(fixture: "keras_earliest", code: HDF5Error.Code.stringLengthLimitExceeded, limits: limits { $0.maxNameLength = 3 }),
        Case(fixture: "keras_earliest", code: HDF5Error.Code.datatypeDepthLimitExceeded, limits: limits { $0.maxDatatypeDepth = 1 }),
        Case(fixture: "many_links_earliest", code: HDF5Error.Code.linkCountLimitExceeded, limits: limits { $0.maxLinksPerGroup = 599 }),
        Case(fixture: "many_links_latest", code: HDF5Error.Code.linkCountLimitExceeded, limits: limits { $0.maxLinksPerGroup = 599 }),
        Case(fixture: "many_links_earliest", code: HDF5Error.Code.indexDepthLimitExceeded, limits: limits { $0.maxBTreeDepth = 1 }),
        Case(fixture: "many_links_latest", code: HDF5Error.Code.indexDepthLimitExceeded, limits: limits { $0.maxBTreeDepth = 1 }),
        Case(fixture: "storage_latest", code: HDF5Error.Code.attributeCountLimitExceeded, limits: limits { $0.maxAttributesPerObject = 23 }),
        Case(fixture: "chunked_earliest", code: HDF5Error.Code.chunkCountLimitExceeded, limits: limits { $0.maxChunkCount = 99 }),
    ]

    @Test(arguments: cases)
    func limitStopsTheFile(_ limitCase: Case) throws {
        let bytes = try ReaderTestFixtures.bytes(limitCase.fixture).bytes
        _ = try HDF5File.open(ByteView(copying: bytes))
        let error = HDF5ReaderRobustnessTests.exercise(bytes, limits: limitCase.limits)
        #expect(error?.code == limitCase.code, "\(error.map { "\($0)" } ?? "no error")")
    }

    @Test func bytesAfterTheEndOfFileNeedTheLeniencyFlag() throws {
        let bytes = try ReaderTestFixtures.bytes("keras_earliest").bytes + [0, 0, 0]
        #expect(HDF5ReaderRobustnessTests.exercise(bytes)?.code == HDF5Error.Code.bytesAfterEndOfFile)
        let lenient = HDF5ReaderRobustnessTests.exercise(bytes, limits: Self.limits { $0.allowBytesAfterEndOfFile = true })
        #expect(lenient == nil)
    }

    @Test func dataReadsUseTheLimitsTheFileWasOpenedWith() throws {
        let bytes = try ReaderTestFixtures.bytes("chunked_latest")
        let file = try HDF5File.open(bytes)
        let tight = try HDF5File.open(bytes, limits: Self.limits { $0.maxChunkCount = 1000 })
        guard case let .dataset(paged)? = file.object(at: "/paged"), case let .dataset(gz)? = file.object(at: "/gz") else {
            Issue.record("missing datasets"); return
        }
        #expect(throws: HDF5Error(HDF5Error.Code.chunkCountLimitExceeded, "")) { try tight.data(of: paged) }
        #expect(try file.data(of: paged).count == 1100)
        let small = try HDF5File.open(bytes, limits: Self.limits { $0.maxObjects = 600 })
        #expect(throws: HDF5Error(HDF5Error.Code.objectLimitExceeded, "")) { try small.data(of: paged) }
        #expect(try small.data(of: gz).count == 2400)
    }
}
