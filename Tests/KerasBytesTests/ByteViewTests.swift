import Testing
@testable import KerasBytes

@Suite struct ByteViewTests {
    @Test func slicesOutsideTheViewAreNil() {
        let view = ByteView(copying: [1, 2, 3, 4])
        #expect(view.slice(offset: 2, length: 2)?.bytes == [3, 4])
        #expect(view.slice(offset: 3, length: 2) == nil)
        #expect(view.slice(offset: Int.max, length: 1) == nil)
        #expect(view.slice(offset: 1, length: Int.max) == nil)
        #expect(view.slice(offset: -1, length: 1) == nil)
    }

    @Test func slicesOfSlicesAreRelative() {
        let view = ByteView(copying: Array(0..<10) as [UInt8])
        let inner = view.slice(offset: 3, length: 5)!.slice(offset: 1, length: 2)!
        #expect(inner.bytes == [4, 5])
        #expect(inner.loadLittleEndian(UInt16.self, at: 0) == 0x0504)
        #expect(inner.loadLittleEndian(UInt16.self, at: 1) == nil)
    }

    @Test func cursorNeverMovesOnAFailedRead() {
        var cursor = ByteCursor(ByteView(copying: [1, 2, 3]))
        let first = cursor.readLittleEndian(UInt16.self)
        let tooWide = cursor.readLittleEndian(UInt32.self)
        #expect(first == 0x0201)
        #expect(tooWide == nil)
        #expect(cursor.offset == 2)
        let twoBytes = cursor.readLittleEndian(width: 2)
        let oneByte = cursor.readLittleEndian(width: 1)
        #expect(twoBytes == nil)
        #expect(oneByte == 3)
        #expect(cursor.isAtEnd)
        let skipped = cursor.skip(1)
        #expect(!skipped)
    }

    @Test func mappedFileMatchesItsBytes() throws {
        let path = "/tmp/kconform-bytes-\(UInt32.random(in: 0...UInt32.max))"
        let contents: [UInt8] = Array(repeating: 7, count: 5000) + [1, 2, 3]
        let file = fopen(path, "wb")!
        _ = contents.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
        defer { unlink(path) }
        let view = try ByteView(mappingFileAt: path)
        #expect(view.count == contents.count)
        #expect(view.bytes == contents)
        #expect(throws: ByteViewError.self) { try ByteView(mappingFileAt: "/nonexistent/kconform") }
        #expect(throws: ByteViewError.self) { try ByteView(mappingFileAt: "/tmp") }
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(ByteView(copying: Array("123456789".utf8))) == 0xCBF4_3926)
        let long = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var split = CRC32()
        split.update(ByteView(copying: long[0..<777]))
        split.update(ByteView(copying: long[777...]))
        #expect(split.value == CRC32.checksum(ByteView(copying: long)))
    }

    @Test func checkedArithmeticReportsOverflow() {
        #expect(Checked.add(Int.max, 1) == nil)
        #expect(Checked.multiply(Int.max / 2, 3) == nil)
        #expect(Checked.product([2, 3, 4]) == 24)
        #expect(Checked.product([Int.max, 2]) == nil)
        #expect(Checked.product([3, -1]) == nil)
        #expect(Checked.int(UInt64.max) == nil)
        #expect(!Checked.rangeFits(offset: Int.max, length: 2, within: 10))
    }

    @Test func ruleIDsArePadded() {
        let code = ErrorCode(domain: "ZIP", number: 3, name: "x", category: .malformed, summary: "")
        #expect(code.ruleID == "KC-ZIP-003")
        #expect(code == ErrorCode(domain: "ZIP", number: 3, name: "other", category: .unsupported, summary: ""))
    }
}

#if canImport(Glibc)
import Glibc
#endif

@Suite struct SHA256Tests {
    @Test func standardTestVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(SHA256.hex(Array(twoBlocks.utf8)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func splitUpdatesEqualOneUpdate() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var digest = SHA256()
        let cuts = [0, 1, 63, 64, 65, 200, 1000]
        for index in 1..<cuts.count {
            bytes[cuts[index - 1]..<cuts[index]].withUnsafeBytes { digest.update($0) }
        }
        #expect(digest.finalizeHex() == SHA256.hex(bytes))
    }
}
