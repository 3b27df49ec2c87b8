import KerasBytes
import KerasJSON
import Testing

/// A case of `Fixtures/manifest.json` (written by `Fixtures/make_fixtures.py` from CPython 3.11).
struct FixtureCase: Sendable, CustomStringConvertible {
    let name: String
    let kind: String
    let input: ByteView
    let expected: ByteView?
    let options: JSONWriter.Options
    let code: String?
    let line: Int?
    let column: Int?
    let byteOffset: Int?

    var description: String { name }

    /// Every case of the manifest, read with the reader under test (a broken reader fails loudly here).
    static func all() throws -> [FixtureCase] {
        let manifest = try JSONReader.parse(TestFiles.bytes(TestFiles.fixtures + "/manifest.json"))
        let entries = try #require(manifest["cases"]?.arrayValue)
        return try entries.map { entry in
            let name = try #require(entry["name"]?.stringValue)
            let input: ByteView
            if let path = entry["input"]?.stringValue {
                input = try TestFiles.bytes(TestFiles.fixtures + "/" + path)
            } else {
                let hex = try #require(entry["inputHex"]?.stringValue, "\(name)")
                input = ByteView(copying: try #require(hexBytes(hex), "\(name)"))
            }
            let expected = try entry["expected"]?.stringValue.map { try TestFiles.bytes(TestFiles.fixtures + "/" + $0) }
            let options = JSONWriter.Options(
                indent: entry["indent"]?.intValue,
                sortKeys: entry["sortKeys"]?.boolValue ?? false,
                ensureASCII: entry["ensureASCII"]?.boolValue ?? true
            )
            return FixtureCase(name: name, kind: try #require(entry["kind"]?.stringValue), input: input, expected: expected,
                               options: options, code: entry["code"]?.stringValue, line: entry["line"]?.intValue,
                               column: entry["column"]?.intValue, byteOffset: entry["byteOffset"]?.intValue)
        }
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for pair in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[pair..<pair + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
