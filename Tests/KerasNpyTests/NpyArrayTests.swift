import Foundation
import KerasBytes
import KerasNpy
import Testing

@Suite struct NpyArrayTests {
    static let goldenNpy: [URL] = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Corpus/golden/io")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".npy") }.sorted().map { directory.appendingPathComponent($0) }
    }()

    @Test func corpusHasNumpyFiles() { #expect(Self.goldenNpy.count >= 30) }

    /// NumPy wrote these with np.save; reading and writing again must give the same bytes.
    @Test(arguments: goldenNpy)
    func numpyFilesRoundTripByteForByte(url: URL) throws {
        let bytes = try ByteView(mappingFileAt: url.path)
        let array = try NpyArray.read(bytes)
        #expect(array.fileBytes() == bytes.bytes)
        #expect(array.count == (Checked.product(array.shape) ?? -1))
    }

    static func header(_ dict: String, data: [UInt8] = [], version: UInt8 = 1) -> ByteView {
        var text = dict
        let padding = (64 - (10 + text.utf8.count + 1) % 64) % 64
        text += String(repeating: " ", count: padding) + "\n"
        let length = UInt16(text.utf8.count)
        return ByteView(copying: [0x93] + Array("NUMPY".utf8) + [version, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(text.utf8) + data)
    }

    @Test(arguments: [
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8, "ok"),
        ("{\"shape\": (2,), \"descr\": \"<f4\", \"fortran_order\": False}", 8, "ok"),
        ("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", 16, "objectArray"),
        ("{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }", 24, "unsupportedDType"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2), }", 8, "malformedHeader"),
        ("{'descr': '<f4', 'fortran_order': False}", 4, "malformedHeader"),
        ("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8, "malformedHeader"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", 8, "malformedHeader"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 7, "dataSizeMismatch"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 9, "dataSizeMismatch"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", 0, "shapeOverflow"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1073741824,), }", 0, "dataTooLarge"),
    ])
    func headersAreReadStrictly(dict: String, dataBytes: Int, expected: String) {
        let bytes = Self.header(dict, data: [UInt8](repeating: 0, count: dataBytes))
        do {
            let array = try NpyArray.read(bytes)
            #expect(expected == "ok", "read \(array.shape)")
        } catch {
            #expect(error.code.name == expected, "\(error)")
        }
    }

    @Test func versionAndMagicAreChecked() {
        #expect(throws: NpyError(NpyError.Code.badMagic, "")) { try NpyArray.read(ByteView(copying: Array("not numpy".utf8))) }
        let wrongVersion = Self.header("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", data: [0, 0, 0, 0], version: 4)
        #expect(throws: NpyError(NpyError.Code.unsupportedVersion, "")) { try NpyArray.read(wrongVersion) }
        var limits = NpyLimits()
        limits.maxRank = 2
        let deep = Self.header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1), }", data: [0, 0, 0, 0])
        #expect(throws: NpyError(NpyError.Code.rankTooLarge, "")) { try NpyArray.read(deep, limits: limits) }
        limits = NpyLimits()
        limits.maxHeaderBytes = 16
        #expect(throws: NpyError(NpyError.Code.headerTooLarge, "")) { try NpyArray.read(deep, limits: limits) }
    }

    @Test func everyStrictPrefixIsRejected() throws {
        let url = try #require(Self.goldenNpy.first)
        let bytes = try ByteView(mappingFileAt: url.path).bytes
        for length in 0..<bytes.count {
            #expect(throws: NpyError.self) { try NpyArray.read(ByteView(copying: bytes[0..<length])) }
        }
    }

    @Test func everyCodeIsExercised() {
        let exercised: Set<String> = ["badMagic", "unsupportedVersion", "truncatedHeader", "malformedHeader", "unsupportedDType",
                                      "objectArray", "dataSizeMismatch", "shapeOverflow", "headerTooLarge", "dataTooLarge", "rankTooLarge"]
        #expect(Set(NpyError.Code.all.map(\.name)) == exercised)
    }

    @Test func writerMatchesNumpyLayoutForEveryRank() throws {
        for shape in [[], [3], [2, 3], [1, 2, 3, 4]] {
            let count = shape.reduce(1, *)
            let array = try #require(NpyArray(dtype: .float32, shape: shape, data: ByteView(copying: [UInt8](repeating: 1, count: count * 4))))
            let bytes = array.fileBytes()
            #expect((bytes.count - count * 4) % 64 == 0)
            let back = try NpyArray.read(ByteView(copying: bytes))
            #expect(back.shape == shape && back.data == array.data)
        }
    }
}
