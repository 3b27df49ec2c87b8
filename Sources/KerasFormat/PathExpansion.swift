import Foundation

/// Turns the paths given on the command line into the files and model folders to check.
public enum PathExpansion {
    /// File name endings taken when a directory is searched: what Keras's loaders accept.
    public static let modelFileSuffixes = [".keras", ".h5", ".hdf5", ".weights.json"]

    /// Each path as given, except that a directory without `config.json` is searched (sorted, bounded by
    /// `maxEntries`) for model files and model folders. A shard `<base>_NNNNN.weights.h5` is left to its
    /// index when `<base>.weights.json` stands next to it: it is checked as part of the index.
    /// Explicitly named files are always kept, whatever their name, so that an unclassifiable file is
    /// reported rather than skipped.
    public static func expand(_ paths: [String], maxEntries: Int = 1_000_000) -> [String] {
        var result: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
                  !manager.fileExists(atPath: path + "/config.json")
            else {
                result.append(path)
                continue
            }
            result += search(path, manager: manager, budget: maxEntries)
        }
        return result
    }

    /// Whether `name` is `<base>_NNNNN.weights.h5` and `<base>.weights.json` is among `siblings` (FORMAT.md 5.1).
    static func isShardWithIndex(_ name: String, in siblings: [String]) -> Bool {
        let suffix = ".weights.h5"
        guard name.hasSuffix(suffix) else { return false }
        let stem = name.dropLast(suffix.count)
        guard let underscore = stem.lastIndex(of: "_") else { return false }
        let digits = stem[stem.index(after: underscore)...]
        guard digits.count == 5, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return false }
        return siblings.contains(String(stem[..<underscore]) + ".weights.json")
    }

    private static func search(_ directory: String, manager: FileManager, budget: Int) -> [String] {
        guard budget > 0, let names = try? manager.contentsOfDirectory(atPath: directory) else { return [] }
        var found: [String] = []
        for name in names.sorted() {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if manager.fileExists(atPath: path + "/config.json") {
                    found.append(path)
                } else {
                    found += search(path, manager: manager, budget: budget - found.count - 1)
                }
            } else if modelFileSuffixes.contains(where: { name.lowercased().hasSuffix($0) }), !isShardWithIndex(name, in: names) {
                found.append(path)
            }
            if found.count >= budget { break }
        }
        return found
    }
}
