import Foundation
import KerasBytes
import KerasZip
import Testing

@Suite struct ZipRobustnessTests {
    /// Three members, about 1 KB: STORED, DEFLATE and a data-descriptor member.
    static func smallArchive() -> [UInt8] {
        var streamed = TestMember.stored("model.weights.h5", (0..<400).map { UInt8($0 % 251) })
        streamed.flags = 0x0008
        streamed.localCRC = 0
        streamed.localCompressed32 = 0
        streamed.localUncompressed32 = 0
        streamed.descriptor = streamed.dataDescriptor()
        return TestArchive([
            InvalidZipSamples.metadata,
            TestMember.deflated("config.json", Array(String(repeating: #"{"class_name": "Dense"}, "#, count: 20).utf8)),
            streamed,
        ]).bytes()
    }

    @Test func smallArchiveIsValid() throws {
        let bytes = Self.smallArchive()
        let archive = try ZipArchive.read(ByteView(copying: bytes))
        #expect(archive.issues.isEmpty, "\(archive.issues)")
        #expect(archive.verifyAll().isEmpty)
        #expect(archive.entries.count == 3)
        try expectSameAsOracle(bytes)
    }

    @Test func everyStrictPrefixIsRejected() {
        let bytes = Self.smallArchive()
        var accepted: [Int] = []
        for length in 0..<bytes.count {
            do {
                _ = try ZipArchive.read(ByteView(copying: bytes[0..<length]))
                accepted.append(length)
            } catch {
                #expect(ZipError.Code.all.contains(error.code))
            }
        }
        #expect(accepted.isEmpty, "prefixes read without error: \(accepted)")
    }

    @Test func randomMutationsNeverTrapAndKeepInvariants() {
        let original = Self.smallArchive()
        var generator = SeededGenerator(seed: 0x6B63_6F6E_666F_726D)
        var outcomes = (read: 0, thrown: 0)
        for round in 0..<3_000 {
            var bytes = original
            let edits = Int.random(in: 1...4, using: &generator)
            for _ in 0..<edits {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes[position] = [0x00, 0xFF, 0x7F, 0x80][Int.random(in: 0..<4, using: &generator)]
                default: bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
                }
            }
            do {
                let archive = try ZipArchive.read(ByteView(copying: bytes))
                outcomes.read += 1
                for entry in archive.entries {
                    #expect(entry.dataOffset >= 0 && entry.dataOffset + entry.compressedSize <= bytes.count,
                            "round \(round) seed 0x6B636F6E666F726D")
                }
                _ = archive.verifyAll()
            } catch {
                outcomes.thrown += 1
            }
        }
        #expect(outcomes.read + outcomes.thrown == 3_000)
        #expect(outcomes.read > 0 && outcomes.thrown > 0)
    }

    @Test func hugeDeclaredSizeWithTinyStreamIsRefusedBeforeInflating() throws {
        var member = TestMember.deflated("model.weights.h5", Array(repeating: 0, count: 1_000))
        member.uncompressedSize = 1 << 62
        member.zip64Central = true
        member.zip64Local = true
        let clock = ContinuousClock()
        let start = clock.now
        let archive = try ZipArchive.read(ByteView(copying: TestArchive([member]).bytes()))
        #expect(archive.issues.map(\.code) == [ZipError.Code.memberTooLarge])
        #expect(throws: ZipError(ZipError.Code.memberTooLarge, "")) { try archive.contents(of: archive.entries[0]) }
        #expect(throws: ZipError(ZipError.Code.memberTooLarge, "")) { try archive.verify(archive.entries[0]) }
        #expect(clock.now - start < .seconds(1))
    }

    @Test func streamInflatingPastItsDeclaredSizeStopsAtTheDeclaredSize() throws {
        // 64 MiB of zeros deflate to about 64 KB; the member declares 1,000 bytes.
        var member = TestMember.deflated("config.json", Array(repeating: 0, count: 64 << 20))
        member.uncompressedSize = 1_000
        let archive = try ZipArchive.read(ByteView(copying: TestArchive([member]).bytes()))
        #expect(archive.issues.isEmpty)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: ZipError(ZipError.Code.sizeMismatch, "")) { try archive.contents(of: archive.entries[0]) }
        #expect(clock.now - start < .seconds(1))
    }

    @Test func bombsOverTheRatioAreRefused() throws {
        let member = TestMember.deflated("model.weights.h5", Array(repeating: 0, count: 8 << 20))
        let archive = try ZipArchive.read(ByteView(copying: TestArchive([member]).bytes()))
        #expect(archive.issues.map(\.code) == [ZipError.Code.expansionRatioExceeded])
        #expect(throws: ZipError(ZipError.Code.expansionRatioExceeded, "")) { try archive.contents(of: archive.entries[0]) }
        var relaxed = ZipLimits()
        relaxed.maxExpansionRatio = 100_000
        let allowed = try ZipArchive.read(archive.bytes, limits: relaxed)
        #expect(allowed.issues.isEmpty)
        #expect(try allowed.contents(of: allowed.entries[0]).count == 8 << 20)
    }

    @Test func manyMembersHitTheMemberLimit() {
        let members = (0..<100).map { TestMember.stored("assets/\($0).bin", [UInt8($0)]) }
        let bytes = TestArchive(members).bytes()
        #expect(observedCodes(bytes, limits: ZipLimits(maxMembers: 50)) == [ZipError.Code.tooManyMembers])
        #expect(observedCodes(bytes, limits: ZipLimits(maxMembers: 100)).isEmpty)
    }

    @Test func manyMembersThatUnderstateTheirCountStillHitTheLimit() {
        var archive = TestArchive((0..<100).map { TestMember.stored("assets/\($0).bin", [UInt8($0)]) })
        archive.entryCount = 1
        #expect(observedCodes(archive.bytes(), limits: ZipLimits(maxMembers: 50)) == [ZipError.Code.tooManyMembers])
    }

    @Test func totalBudgetBlocksTheMemberThatCrossesItAndAllLater() throws {
        let members = (0..<5).map { TestMember.stored("m\($0)", [UInt8](repeating: 1, count: 100)) }
        let archive = try ZipArchive.read(ByteView(copying: TestArchive(members).bytes()),
                                          limits: ZipLimits(maxTotalUncompressedSize: 250))
        #expect(archive.issues.map(\.code) == [ZipError.Code.totalSizeTooLarge])
        #expect(archive.issues.first?.member == "m2")
        for entry in archive.entries {
            if entry.index < 2 {
                #expect(try archive.contents(of: entry).count == 100)
            } else {
                #expect(throws: ZipError(ZipError.Code.totalSizeTooLarge, "")) { try archive.contents(of: entry) }
            }
        }
    }

    @Test func crcOfAHundredMegabyteMemberIsFast() throws {
        let size = 100 << 20
        var data = [UInt8](repeating: 0, count: size)
        for index in stride(from: 0, to: size, by: 4096) { data[index] = UInt8(truncatingIfNeeded: index >> 12) }
        var member = TestMember.stored("model.weights.h5", data)
        member.crc32 = crc(data)
        let archive = try ZipArchive.read(ByteView(copying: TestArchive([member]).bytes()))
        let clock = ContinuousClock()
        let start = clock.now
        try archive.verify(archive.entries[0])
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(5), "CRC of 100 MB took \(elapsed)")
    }

    @Test func entriesFromAnotherArchiveAreCallerMisuseAndTrap() async {
        await #expect(processExitsWith: .failure) {
            let first = try ZipArchive.read(ByteView(copying: TestArchive([InvalidZipSamples.config]).bytes()))
            let second = try ZipArchive.read(ByteView(copying: TestArchive([InvalidZipSamples.metadata]).bytes()))
            _ = try second.contents(of: first.entries[0])
        }
    }
}

extension ZipRobustnessTests {
    @Test func issuesBeyondThePerCodeLimitAreCountedNotKept() throws {
        let members = (0..<30).map { TestMember.stored("/abs/\($0)", [UInt8($0)]) }
        let archive = try ZipArchive.read(ByteView(copying: TestArchive(members).bytes()),
                                          limits: ZipLimits(maxIssuesPerCode: 10))
        #expect(archive.issues.count == 10)
        #expect(archive.issueCounts[ZipError.Code.absolutePath] == 30)
    }
}
