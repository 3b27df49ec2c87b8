import KerasBytes
import KerasJSON
import Testing

/// Paths and loaders shared by the KerasJSON tests.
enum TestFiles {
    /// This test folder (resolved through symlinks by the file system, not lexically).
    static let testsDirectory: String = {
        let path = #filePath
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }()

    /// `Tests/KerasJSONTests/Fixtures`.
    static let fixtures = testsDirectory + "/Fixtures"
    /// `Corpus/` at the package root.
    static let corpus = testsDirectory + "/../../Corpus"

    /// The bytes of the file at `path`.
    static func bytes(_ path: String) throws -> ByteView {
        try ByteView(mappingFileAt: path)
    }
}

/// The bytes written in hex by `text`, or nil when it is not hex.
func hexBytes(_ text: String) -> [UInt8]? {
    FixtureCase.hexBytes(text)
}

/// The error code called `name`.
func errorCode(named name: String) -> ErrorCode? {
    JSONError.Code.all.first { $0.name == name }
}

/// The error `body` throws, or nil when it returns.
func jsonError(_ body: () throws -> Void) -> JSONError? {
    do {
        try body()
        return nil
    } catch let error as JSONError {
        return error
    } catch {
        Issue.record("not a JSONError: \(error)")
        return nil
    }
}

/// The error parsing `text` throws, or nil.
func parseError(_ text: String, limits: JSONLimits = JSONLimits()) -> JSONError? {
    jsonError { _ = try JSONReader.parse(text, limits: limits) }
}

/// The error parsing `bytes` throws, or nil.
func parseError(bytes: [UInt8], limits: JSONLimits = JSONLimits()) -> JSONError? {
    jsonError { _ = try JSONReader.parse(ByteView(copying: bytes), limits: limits) }
}

/// A description of where two byte strings first differ, for failure messages.
func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
    let common = zip(a, b).prefix { $0 == $1 }.count
    let context = { (bytes: [UInt8]) in String(decoding: bytes[max(0, common - 20)..<min(bytes.count, common + 20)], as: UTF8.self) }
    return "sizes \(a.count) vs \(b.count), first difference at byte \(common): …\(context(a))… vs …\(context(b))…"
}
