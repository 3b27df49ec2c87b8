import Foundation
import KerasFormat

/// Paths of the committed corpus, found from this source file so tests run from any directory.
enum CorpusLocation {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let golden = repositoryRoot.appendingPathComponent("Corpus/golden")
    static let invalid = repositoryRoot.appendingPathComponent("Corpus/invalid")

    /// Every file or model folder under `Corpus/golden` that `kconform check` would look at.
    static func goldenModelPaths() -> [String] {
        PathExpansion.expand([golden.path])
    }

    /// Golden files (recursively) whose name ends with `suffix`.
    static func goldenFiles(suffix: String) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(atPath: golden.path) else { return [] }
        var found: [URL] = []
        for case let relative as String in enumerator where relative.hasSuffix(suffix) {
            found.append(golden.appendingPathComponent(relative))
        }
        return found.sorted { $0.path < $1.path }
    }
}
