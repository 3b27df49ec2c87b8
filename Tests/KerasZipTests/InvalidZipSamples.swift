import KerasBytes
import KerasZip

/// One tiny archive per ``ZipError/Code`` that yields exactly that code and nothing else.
///
/// Samples read with the default limits are also committed as `Corpus/invalid/zip/<codeName>.zip`, listed in
/// `Corpus/invalid/zip/expected.json`. Regenerate them after changing this file with
/// `KCONFORM_REGENERATE_CORPUS=1 swift test --filter InvalidCorpusTests`.
struct InvalidZipSample: Sendable {
    let code: ErrorCode
    let bytes: [UInt8]
    /// Non-default limits the sample needs (nil: the defaults; only those samples go to the corpus).
    let limits: ZipLimits?

    var fileName: String { code.name + ".zip" }

    init(_ code: ErrorCode, limits: ZipLimits? = nil, _ build: () -> [UInt8]) {
        self.code = code
        self.limits = limits
        self.bytes = build()
    }
}

enum InvalidZipSamples {
    typealias Code = ZipError.Code

    /// Codes no sample file can trigger, with the reason. Kept empty: every code has a sample.
    static let codesWithoutSample: [ErrorCode: String] = [:]

    /// Codes whose sample needs non-default limits, so it is tested in-process but not written to the corpus.
    static let codesWithoutCorpusFile: [ErrorCode: String] = [
        Code.totalSizeTooLarge:
            "declaring more than 8 GiB in total at no more than 100:1 per member takes at least 86 MB of member data",
    ]

    static let config = TestMember.stored("config.json", Array(#"{"class_name": "Sequential"}"#.utf8))
    static let metadata = TestMember.stored("metadata.json", Array(#"{"keras_version": "3.15.1"}"#.utf8))

    /// A valid two-member archive the mutations start from.
    static func valid() -> TestArchive { TestArchive([metadata, config]) }

    static func with(_ change: (inout TestArchive) -> Void) -> [UInt8] {
        var archive = valid()
        change(&archive)
        return archive.bytes()
    }

    static func withConfig(_ change: (inout TestMember) -> Void) -> [UInt8] {
        with { change(&$0.members[1]) }
    }

    static let all: [InvalidZipSample] = [
        InvalidZipSample(Code.endOfCentralDirectoryNotFound) { Array("this is not a zip archive\n".utf8) },
        InvalidZipSample(Code.truncatedEndRecord) { Array(valid().bytes().dropLast(5)) },
        InvalidZipSample(Code.commentOverrun) {
            with { $0.comment = Array("note".utf8); $0.commentLength = 10 }
        },
        InvalidZipSample(Code.appendedData) { with { $0.appended = Array("TRAILER".utf8) } },
        InvalidZipSample(Code.multiDisk) { with { $0.diskNumber = 1 } },
        InvalidZipSample(Code.truncatedZip64EndRecord) {
            le(UInt32(0x0706_4B50)) + le(UInt32(0)) + le(UInt64(0)) + le(UInt32(1))
                + le(UInt32(0x0605_4B50)) + [UInt8](repeating: 0, count: 4) + le(UInt16(0xFFFF)) + le(UInt16(0xFFFF))
                + le(UInt32(0xFFFF_FFFF)) + le(UInt32(0xFFFF_FFFF)) + le(UInt16(0))
        },
        InvalidZipSample(Code.badSignature) { with { $0.members[0].centralSignature = 0x0201_4B51 } },
        InvalidZipSample(Code.zip64EndRecordMismatch) {
            with { $0.zip64EndRecord = true; $0.zip64RecordSize = 50 }
        },
        InvalidZipSample(Code.centralDirectoryOutOfRange) { with { $0.directorySize = 10_000 } },
        InvalidZipSample(Code.offsetsShifted) { with { $0.offsetDelta = 4 } },
        InvalidZipSample(Code.truncatedCentralDirectory) { with { $0.directoryTrailer = Array("PK\u{1}\u{2}junk".utf8) } },
        InvalidZipSample(Code.entryCountMismatch) { with { $0.entryCount = 3 } },
        InvalidZipSample(Code.tooManyMembers) {
            var archive = TestArchive()
            archive.zip64EndRecord = true
            archive.zip64DeclaredEntries = 70_000
            return archive.bytes()
        },
        InvalidZipSample(Code.malformedExtraField) {
            withConfig { $0.centralExtra = le(UInt16(0xCAFE)) + le(UInt16(16)) + [1, 2, 3, 4] }
        },
        InvalidZipSample(Code.extraFieldTrailingBytes) { withConfig { $0.centralExtra = [0xAA, 0xBB] } },
        InvalidZipSample(Code.duplicateExtraField) {
            withConfig { $0.centralExtra = le(UInt16(0xCAFE)) + le(UInt16(0)) + le(UInt16(0xCAFE)) + le(UInt16(0)) }
        },
        InvalidZipSample(Code.tooManyExtraFields) {
            withConfig { member in
                member.centralExtra = (0..<65).flatMap { le(UInt16(0x7000 + $0)) + le(UInt16(0)) }
            }
        },
        InvalidZipSample(Code.versionNeededTooHigh) { withConfig { $0.versionNeeded = 64 } },
        InvalidZipSample(Code.nameTooLong) {
            TestArchive([TestMember.stored(String(repeating: "a", count: 4_097), [1])]).bytes()
        },
        InvalidZipSample(Code.emptyName) { TestArchive([TestMember.stored("", [1])]).bytes() },
        InvalidZipSample(Code.absolutePath) { TestArchive([TestMember.stored("/etc/passwd", [1])]).bytes() },
        InvalidZipSample(Code.parentDirectoryComponent) {
            TestArchive([TestMember.stored("assets/../../evil.txt", [1])]).bytes()
        },
        InvalidZipSample(Code.backslashInName) {
            TestArchive([TestMember.stored("assets\\vocab.txt", [1])]).bytes()
        },
        InvalidZipSample(Code.nulInName) {
            TestArchive([TestMember.stored("config.json\u{0}.txt", [1])]).bytes()
        },
        InvalidZipSample(Code.invalidUTF8Name) {
            var member = TestMember.stored("x", [1])
            member.name = [0xFF, 0x41]
            member.flags = 0x0800
            return TestArchive([member]).bytes()
        },
        InvalidZipSample(Code.symlinkEntry) {
            var member = TestMember.stored("assets/link", Array("/etc/passwd".utf8))
            member.externalAttributes = 0o120777 << 16
            return TestArchive([member]).bytes()
        },
        InvalidZipSample(Code.duplicateName) {
            TestArchive([config, TestMember.stored("config.json", Array(#"{"class_name": "Lambda"}"#.utf8))]).bytes()
        },
        InvalidZipSample(Code.truncatedLocalHeader) { withConfig { $0.centralOffset32 = 0xFFFF_FF00 } },
        InvalidZipSample(Code.localNameMismatch) { withConfig { $0.localName = Array("other.json".utf8) } },
        InvalidZipSample(Code.localHeaderMismatch) { withConfig { $0.localCRC = 0x1234_5678 } },
        InvalidZipSample(Code.truncatedMemberData) {
            withConfig { $0.centralCompressed32 = 0x7FFF_FFFF; $0.centralUncompressed32 = 0x7FFF_FFFF }
        },
        InvalidZipSample(Code.dataDescriptorMismatch) {
            withConfig { $0.flags = 0x0008; $0.localCRC = 0; $0.localCompressed32 = 0; $0.localUncompressed32 = 0 }
        },
        InvalidZipSample(Code.overlappingEntries) {
            // The second member's local record lies inside the first member's data.
            let inner = TestMember.stored("inner.bin", Array("hidden".utf8))
            var outer = TestMember.stored("outer.bin", inner.localRecord())
            outer.stored = inner.localRecord()
            outer.crc32 = crc(outer.stored)
            var hidden = inner
            hidden.writeLocal = false
            hidden.centralOffset32 = UInt32(30 + outer.name.count)
            return TestArchive([outer, hidden]).bytes()
        },
        InvalidZipSample(Code.prependedData) { with { $0.prefix = Array("#!/bin/sh\nexit 0\n".utf8) } },
        InvalidZipSample(Code.gapBetweenMembers) { withConfig { $0.before = [0, 0, 0, 0] } },
        InvalidZipSample(Code.gapBeforeCentralDirectory) { with { $0.beforeDirectory = [0, 0, 0, 0] } },
        InvalidZipSample(Code.encryptedMember) { withConfig { $0.flags = 0x0001 } },
        InvalidZipSample(Code.unsupportedMethod) { withConfig { $0.method = 12 } },
        InvalidZipSample(Code.storedSizeMismatch) {
            withConfig { $0.uncompressedSize += 1 }
        },
        InvalidZipSample(Code.memberTooLarge) {
            var member = TestMember.deflated("model.weights.h5", Array(repeating: 0, count: 1_000))
            member.uncompressedSize = 5 << 30
            member.zip64Central = true
            member.zip64Local = true
            member.versionNeeded = 45
            return TestArchive([member]).bytes()
        },
        InvalidZipSample(Code.totalSizeTooLarge, limits: ZipLimits(maxTotalUncompressedSize: 40)) {
            valid().bytes()
        },
        InvalidZipSample(Code.expansionRatioExceeded) {
            TestArchive([TestMember.deflated("config.json", Array(repeating: 0x20, count: 2 << 20))]).bytes()
        },
        InvalidZipSample(Code.invalidTimestamp) { withConfig { $0.date = 0 } },
        InvalidZipSample(Code.crcMismatch) { withConfig { $0.crc32 ^= 0xFFFF } },
        InvalidZipSample(Code.sizeMismatch) {
            var member = TestMember.deflated("config.json", Array(repeating: 7, count: 100))
            member.uncompressedSize = 99
            member.crc32 = crc(Array(repeating: 7, count: 99))
            return TestArchive([member]).bytes()
        },
        InvalidZipSample(Code.corruptDeflateStream) {
            var member = TestMember.stored("config.json", [0xFF, 0xFF, 0xFF, 0xFF])
            member.method = 8
            member.uncompressedSize = 10
            return TestArchive([member]).bytes()
        },
        InvalidZipSample(Code.malformedLocalExtraField) {
            withConfig { $0.localExtra = le(UInt16(0xCAFE)) + le(UInt16(16)) + [1, 2, 3, 4] }
        },
    ]
}
