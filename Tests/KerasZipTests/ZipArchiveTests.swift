import Foundation
import KerasBytes
import KerasOracles
import KerasZip
import Testing

/// Reads `bytes` with the Swift reader and with libzip and expects the same members, data included.
func expectSameAsOracle(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let archive = try ZipArchive.read(ByteView(copying: bytes))
    let oracle = try ZipOracle.read(bytes)
    #expect(archive.entries.count == oracle.count, sourceLocation: sourceLocation)
    for (entry, member) in zip(archive.entries, oracle) {
        #expect(entry.name == member.name, sourceLocation: sourceLocation)
        #expect(entry.rawName == member.rawName, sourceLocation: sourceLocation)
        #expect(entry.method == member.method, sourceLocation: sourceLocation)
        #expect(entry.compressedSize == member.compressedSize, sourceLocation: sourceLocation)
        #expect(entry.uncompressedSize == member.size, sourceLocation: sourceLocation)
        #expect(entry.crc32 == member.crc32, sourceLocation: sourceLocation)
        #expect(try archive.contents(of: entry).bytes == member.data, sourceLocation: sourceLocation)
        #expect(localTime(entry.modified) == member.modifiedTime, sourceLocation: sourceLocation)
    }
}

/// Seconds since 1970 of a DOS time read as local time, as libzip converts it.
func localTime(_ time: DOSDateTime) -> Int {
    var parts = tm()
    parts.tm_year = Int32(time.year - 1900)
    parts.tm_mon = Int32(time.month - 1)
    parts.tm_mday = Int32(time.day)
    parts.tm_hour = Int32(time.hour)
    parts.tm_min = Int32(time.minute)
    parts.tm_sec = Int32(time.second)
    parts.tm_isdst = -1
    return mktime(&parts)
}

func fixture(_ name: String) throws -> [UInt8] {
    try #require(FileManager.default.contents(atPath: TestPaths.fixtures + "/" + name).map(Array.init))
}

/// The members of Fixtures/make_python_reference.py, in its order.
let referenceMembers: [(name: String, modified: DOSDateTime, data: [UInt8])] = [
    ("metadata.json", .zipEpoch, Array(#"{"keras_version": "3.15.1", "date_saved": "2026-01-02@03:04:05"}"#.utf8)),
    ("config.json", .zipEpoch, Array(#"{"module": "keras", "class_name": "Sequential", "config": {}}"#.utf8)),
    ("model.weights.h5", DOSDateTime(year: 2024, month: 5, day: 17, hour: 13, minute: 45, second: 30)!,
     (0..<300).map { UInt8(($0 * 37 + 11) % 256) }),
    ("assets/vocab \u{E9}.txt", .zipEpoch, Array("a\nb\n".utf8)),
    ("assets/empty", .zipEpoch, []),
]

@Suite struct ZipArchiveTests {
    @Test func pythonEquivalentBuilderReproducesPythonBytes() throws {
        let members = referenceMembers.map { member -> TestMember in
            var built = TestMember.stored(member.name, member.data)
            built.date = member.modified.date
            built.time = member.modified.time
            return built
        }
        #expect(TestArchive(members).bytes() == (try fixture("python_reference.zip")))
    }

    @Test(arguments: ["python_reference.zip", "python_deflated.zip", "python_force_zip64.zip", "numpy_streamed.npz"])
    func pythonFixturesReadCleanlyAndMatchLibzip(_ name: String) throws {
        let bytes = try fixture(name)
        let archive = try ZipArchive.read(ByteView(copying: bytes))
        #expect(archive.issues.isEmpty, "\(archive.issues)")
        #expect(archive.verifyAll().isEmpty)
        try expectSameAsOracle(bytes)
    }

    @Test func pythonReferenceEntriesHaveKerasRecordProperties() throws {
        let archive = try ZipArchive.read(ByteView(copying: try fixture("python_reference.zip")))
        #expect(archive.entries.map(\.name) == referenceMembers.map(\.name))
        for (entry, member) in zip(archive.entries, referenceMembers) {
            #expect(entry.method == 0)
            #expect(entry.versionMadeBy == 0x0314)
            #expect(entry.versionNeeded == 20)
            #expect(entry.externalAttributes == 0o600 << 16)
            #expect(entry.extraFieldIDs.isEmpty && entry.localExtraFieldIDs.isEmpty)
            #expect(entry.modified == member.modified)
            #expect(!entry.usesZip64 && !entry.isDirectory && !entry.isSymlink && !entry.isEncrypted)
            #expect(entry.flags == (entry.name.utf8.contains { $0 >= 0x80 } ? 0x0800 : 0))
            #expect(try archive.contents(of: entry).bytes == member.data)
        }
        #expect(archive.entries[1].localHeaderOffset == 107)
        #expect(!archive.usesZip64EndRecord && archive.comment.isEmpty)
    }

    @Test func forceZip64MembersResolveLocalSizesFromTheExtraField() throws {
        let archive = try ZipArchive.read(ByteView(copying: try fixture("python_force_zip64.zip")))
        for entry in archive.entries {
            #expect(entry.usesZip64)
            #expect(entry.localExtraFieldIDs == [0x0001])
            #expect(entry.extraFieldIDs.isEmpty)
            #expect(entry.versionNeeded == 45)
        }
    }

    @Test func numpyDataDescriptorsAreAccountedFor() throws {
        let archive = try ZipArchive.read(ByteView(copying: try fixture("numpy_streamed.npz")))
        #expect(archive.entries.map(\.name) == ["kernel.npy", "bias.npy"])
        #expect(archive.entries.allSatisfy { $0.hasDataDescriptor && $0.usesZip64 })
        #expect(archive.issues.isEmpty)
    }

    @Test(arguments: [false, true])
    func dataDescriptorsWithAndWithoutSignatureAreAccepted(_ signature: Bool) throws {
        var members = [TestMember.deflated("a.bin", Array(repeating: 1, count: 500)), TestMember.stored("b.txt", [9, 8, 7])]
        for index in members.indices {
            members[index].flags |= 0x0008
            members[index].localCRC = 0
            members[index].localCompressed32 = 0
            members[index].localUncompressed32 = 0
            members[index].descriptor = members[index].dataDescriptor(signature: signature)
        }
        let bytes = TestArchive(members).bytes()
        let archive = try ZipArchive.read(ByteView(copying: bytes))
        #expect(archive.issues.isEmpty, "\(archive.issues)")
        try expectSameAsOracle(bytes)
    }

    @Test func zip64EndRecordsAndCentralExtrasAreRead() throws {
        var members = [TestMember.stored("metadata.json", Array("{}".utf8)),
                       TestMember.deflated("model.weights.h5", Array(repeating: 3, count: 4_000))]
        for index in members.indices {
            members[index].zip64Central = true
            members[index].zip64Local = true
            members[index].versionNeeded = 45
        }
        var archive = TestArchive(members)
        archive.zip64EndRecord = true
        let bytes = archive.bytes()
        let read = try ZipArchive.read(ByteView(copying: bytes))
        #expect(read.usesZip64EndRecord)
        #expect(read.issues.isEmpty, "\(read.issues)")
        #expect(read.entries.allSatisfy { $0.usesZip64 && $0.extraFieldIDs == [0x0001] })
        #expect(try read.contents(of: read.entries[1]).bytes == Array(repeating: 3, count: 4_000))
        try expectSameAsOracle(bytes)
    }

    @Test func cp437NamesDecodeAsPythonDoes() throws {
        var member = TestMember.stored("x", [1])
        member.name = [0x80, 0x61, 0xE1, 0xFF]
        let bytes = TestArchive([member]).bytes()
        let archive = try ZipArchive.read(ByteView(copying: bytes))
        #expect(archive.entries[0].name == "\u{C7}a\u{DF}\u{A0}")
        #expect(archive.issues.isEmpty)
        try expectSameAsOracle(bytes)
    }

    @Test func duplicateNamesResolveToTheLastEntryAsPythonDoes() throws {
        let first = TestMember.stored("config.json", Array("first".utf8))
        let last = TestMember.stored("config.json", Array("last".utf8))
        let archive = try ZipArchive.read(ByteView(copying: TestArchive([first, last]).bytes()))
        let entry = try #require(archive.entry(named: "config.json"))
        #expect(entry.index == 1)
        #expect(try archive.contents(of: entry).bytes == Array("last".utf8))
        #expect(archive.entries(named: "config.json").map(\.index) == [0, 1])
        #expect(archive.issues.map(\.code) == [ZipError.Code.duplicateName])
        #expect(archive.issues[0].reason.contains("last"))
    }

    @Test func namesAreComparedByScalarsNotCanonicalEquivalence() throws {
        let composed = TestMember.stored("caf\u{E9}.txt", [1])
        let decomposed = TestMember.stored("cafe\u{301}.txt", [2])
        let archive = try ZipArchive.read(ByteView(copying: TestArchive([composed, decomposed]).bytes()))
        #expect(archive.issues.isEmpty)
        #expect(archive.entry(named: "caf\u{E9}.txt")?.index == 0)
        #expect(archive.entry(named: "cafe\u{301}.txt")?.index == 1)
    }

    @Test func nulCutsTheNameAsPythonDoes() throws {
        let archive = try ZipArchive.read(ByteView(copying: TestArchive([TestMember.stored("a.json\u{0}.exe", [1])]).bytes()))
        #expect(archive.entries[0].name == "a.json")
        #expect(archive.entries[0].rawName == Array("a.json\u{0}.exe".utf8))
        #expect(archive.entry(named: "a.json") != nil)
    }

    @Test func storedContentsAreZeroCopySlices() throws {
        let view = ByteView(copying: try fixture("python_reference.zip"))
        let archive = try ZipArchive.read(view)
        let entry = try #require(archive.entry(named: "model.weights.h5"))
        let contents = try archive.contents(of: entry)
        let base = view.withUnsafeBytes { $0.baseAddress! }
        let slice = contents.withUnsafeBytes { $0.baseAddress! }
        #expect(slice == base + entry.dataOffset)
    }

    @Test func memoryMappedArchivesReadLikeArrays() throws {
        let path = NSTemporaryDirectory() + "kconform-zip-\(UUID().uuidString).zip"
        let bytes = try fixture("python_deflated.zip")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let mapped = try ZipArchive.read(try ByteView(mappingFileAt: path))
        let copied = try ZipArchive.read(ByteView(copying: bytes))
        #expect(mapped.entries == copied.entries)
        for entry in mapped.entries {
            #expect(try mapped.contents(of: entry) == copied.contents(of: entry))
        }
    }

    @Test func readingTheDirectoryDoesNotTouchMemberData() throws {
        // Member data replaced by bytes that are not a DEFLATE stream: the directory still reads cleanly,
        // and only contents(of:) notices.
        var member = TestMember.deflated("model.weights.h5", Array(repeating: 5, count: 10_000))
        member.stored = [UInt8](repeating: 0xFF, count: member.stored.count)
        let archive = try ZipArchive.read(ByteView(copying: TestArchive([member]).bytes()))
        #expect(archive.issues.isEmpty)
        #expect(throws: ZipError(ZipError.Code.corruptDeflateStream, "")) { try archive.contents(of: archive.entries[0]) }
    }

    @Test func issuesAreInFileOrder() throws {
        var archive = TestArchive([TestMember.stored("/abs", [1]), TestMember.stored("b\\c", [2])])
        archive.prefix = [0, 0, 0]
        archive.appended = [1, 2, 3]
        let read = try ZipArchive.read(ByteView(copying: archive.bytes()))
        let offsets = read.issues.compactMap(\.offset)
        #expect(offsets == offsets.sorted())
        #expect(read.issues.map(\.code) == [ZipError.Code.prependedData, ZipError.Code.absolutePath,
                                            ZipError.Code.backslashInName, ZipError.Code.appendedData])
    }

    @Test func catPrependedArchivesAreRebasedLikePython() throws {
        let original = TestArchive([InvalidZipSamples.metadata, InvalidZipSamples.config]).bytes()
        let stub = Array("#!/bin/sh\nexec python3 \"$0\"\n".utf8)
        let archive = try ZipArchive.read(ByteView(copying: stub + original))
        #expect(Set(archive.issues.map(\.code)) == [ZipError.Code.offsetsShifted, ZipError.Code.prependedData])
        #expect(archive.entries[0].localHeaderOffset == stub.count)
        #expect(try archive.contents(of: archive.entries[1]).bytes == InvalidZipSamples.config.stored)
    }

    @Test func emptyArchiveHasNoEntriesAndNoIssues() throws {
        let archive = try ZipArchive.read(ByteView(copying: TestArchive().bytes()))
        #expect(archive.entries.isEmpty && archive.issues.isEmpty)
        #expect(archive.entry(named: "config.json") == nil)
    }

    @Test func commentsAreReturned() throws {
        var built = TestArchive([InvalidZipSamples.config])
        built.comment = Array("made by hand".utf8)
        let archive = try ZipArchive.read(ByteView(copying: built.bytes()))
        #expect(archive.comment == Array("made by hand".utf8))
        #expect(archive.issues.isEmpty)
    }

    @Test func dosDateTimeRoundTripsItsFields() {
        let time = DOSDateTime(date: 0x58B1, time: 0x6DAF)
        #expect(time.date == 0x58B1 && time.time == 0x6DAF)
        #expect(time.description == "2024-05-17 13:45:30")
        #expect(DOSDateTime.zipEpoch.description == "1980-01-01 00:00:00")
        #expect(DOSDateTime(date: 0, time: 0).isValid == false)
        #expect(DOSDateTime(year: 1979, month: 1, day: 1) == nil)
        #expect(DOSDateTime.zipEpoch < time)
        #expect(DOSDateTime.now().year >= 2024)
        let odd = DOSDateTime(year: 2000, month: 2, day: 3, hour: 4, minute: 5, second: 7)
        #expect(odd?.second == 6)
    }
}
