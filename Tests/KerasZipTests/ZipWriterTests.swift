import Foundation
import KerasBytes
import KerasOracles
import KerasZip
import Testing

@Suite struct ZipWriterTests {
    static func referenceWriter() -> ZipWriter {
        var writer = ZipWriter()
        for member in referenceMembers {
            writer.addFile(name: member.name, contents: ByteView(copying: member.data), modified: member.modified)
        }
        return writer
    }

    /// The header fields of `bytes` (a single-disk archive without ZIP64) that each byte offset belongs to.
    static func fieldNames(of bytes: [UInt8]) throws -> [Int: String] {
        let archive = try ZipArchive.read(ByteView(copying: bytes))
        var names: [Int: String] = [:]
        func name(_ start: Int, _ width: Int, _ label: String) {
            for offset in start..<(start + width) { names[offset] = label }
        }
        let local = [(0, 4, "signature"), (4, 2, "versionNeeded"), (6, 2, "flags"), (8, 2, "method"), (10, 2, "time"),
                     (12, 2, "date"), (14, 4, "crc32"), (18, 4, "compressedSize"), (22, 4, "uncompressedSize"),
                     (26, 2, "nameLength"), (28, 2, "extraLength")]
        for entry in archive.entries {
            for (start, width, label) in local { name(entry.localHeaderOffset + start, width, "local." + label) }
        }
        let central = [(0, 4, "signature"), (4, 2, "versionMadeBy"), (6, 2, "versionNeeded"), (8, 2, "flags"),
                       (10, 2, "method"), (12, 2, "time"), (14, 2, "date"), (16, 4, "crc32"), (20, 4, "compressedSize"),
                       (24, 4, "uncompressedSize"), (28, 2, "nameLength"), (30, 2, "extraLength"),
                       (32, 2, "commentLength"), (34, 2, "diskStart"), (36, 2, "internalAttributes"),
                       (38, 4, "externalAttributes"), (42, 4, "localHeaderOffset")]
        var offset = archive.centralDirectoryOffset
        for entry in archive.entries {
            for (start, width, label) in central { name(offset + start, width, "central." + label) }
            offset += 46 + entry.rawName.count + Int(bytes[offset + 30]) + Int(bytes[offset + 31]) << 8
                + Int(bytes[offset + 32]) + Int(bytes[offset + 33]) << 8
        }
        return names
    }

    @Test func differsFromPythonOnlyInKnownFields() throws {
        let python = try fixture("python_reference.zip")
        let ours = try Self.referenceWriter().archiveBytes()
        #expect(ours.count == python.count)
        let fields = try Self.fieldNames(of: python)
        let differing = zip(python.indices, zip(python, ours)).filter { $0.1.0 != $0.1.1 }.map(\.0)
        let differingFields = Set(differing.map { fields[$0] ?? "unclassified byte \($0)" })
        // ZipWriter's doc comment explains each: libzip writes version made by 0x033F (Python 0x0314) and
        // version needed 10 for STORED (Python 20), and neither can be set through libzip.
        #expect(differingFields == ["local.versionNeeded", "central.versionMadeBy", "central.versionNeeded"])
        let ourArchive = try ZipArchive.read(ByteView(copying: ours))
        #expect(ourArchive.entries.allSatisfy { $0.versionMadeBy == 0x033F && $0.versionNeeded == 10 })
    }

    @Test func outputReadsIdenticallyThroughBothReaders() throws {
        var writer = Self.referenceWriter()
        writer.addFile(name: "assets/deflated.txt", contents: ByteView(copying: Array(repeating: 0x61, count: 5_000)),
                       modified: DOSDateTime(year: 2026, month: 11, day: 22, hour: 12, minute: 0, second: 0)!,
                       externalAttributes: 0o100644 << 16, compression: .deflate)
        let bytes = try writer.archiveBytes()
        let archive = try ZipArchive.read(ByteView(copying: bytes))
        #expect(archive.issues.isEmpty, "\(archive.issues)")
        #expect(archive.entries.map(\.name) == writer.names)
        #expect(archive.entries.last?.method == 8)
        #expect(archive.entries.last?.versionNeeded == 20)
        #expect(archive.entries.last?.externalAttributes == 0o100644 << 16)
        #expect(archive.entries.allSatisfy { $0.flags & ~0x0800 == 0 && $0.extraFieldIDs.isEmpty && $0.localExtraFieldIDs.isEmpty }, "\(archive.entries.map { ($0.flags, $0.extraFieldIDs, $0.localExtraFieldIDs) })")
        for (entry, member) in zip(archive.entries, referenceMembers) {
            #expect(try archive.contents(of: entry).bytes == member.data)
            #expect(entry.modified == member.modified)
        }
        try expectSameAsOracle(bytes)
    }

    @Test func emptyWriterWritesAnEmptyArchive() throws {
        let bytes = try ZipWriter().archiveBytes()
        let archive = try ZipArchive.read(ByteView(copying: bytes))
        #expect(archive.entries.isEmpty && archive.issues.isEmpty)
        #expect(bytes.count == 22)
    }

    @Test func duplicateNamesAreRefusedByLibzip() {
        var writer = ZipWriter()
        writer.addFile(name: "config.json", contents: ByteView(copying: [1]))
        writer.addFile(name: "config.json", contents: ByteView(copying: [2]))
        #expect(throws: ZipWriteError.self) { try writer.archiveBytes() }
    }

    @Test func namesWithNULAreRefused() {
        var writer = ZipWriter()
        writer.addFile(name: "a\u{0}b", contents: ByteView(copying: [1]))
        #expect(throws: ZipWriteError.self) { try writer.archiveBytes() }
    }

    @Test func writeToFileReplacesTheTargetAtomically() throws {
        let folder = NSTemporaryDirectory() + "kconform-zipwriter-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.keras"
        try Data("old contents".utf8).write(to: URL(fileURLWithPath: path))
        let writer = Self.referenceWriter()
        try writer.write(toFile: path)
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == (try writer.archiveBytes()))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.keras"])
    }

    @Test func writeToAMissingFolderFailsAndLeavesNothing() throws {
        let folder = NSTemporaryDirectory() + "kconform-missing-\(UUID().uuidString)"
        #expect(throws: ZipWriteError.self) { try Self.referenceWriter().write(toFile: folder + "/model.keras") }
        #expect(!FileManager.default.fileExists(atPath: folder))
    }
}

extension ZipWriterTests {
    @Test func deflatedOutputDiffersFromPythonOnlyInVersionMadeBy() throws {
        let python = try fixture("python_deflated.zip")
        var writer = ZipWriter()
        for member in referenceMembers {
            writer.addFile(name: member.name, contents: ByteView(copying: member.data), modified: member.modified,
                           compression: .deflate)
        }
        let ours = try writer.archiveBytes()
        #expect(ours.count == python.count)
        let fields = try Self.fieldNames(of: python)
        let differing = zip(python.indices, zip(python, ours)).filter { $0.1.0 != $0.1.1 }.map(\.0)
        #expect(Set(differing.map { fields[$0] ?? "unclassified byte \($0)" }) == ["central.versionMadeBy"])
    }
}
