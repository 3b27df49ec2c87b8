import Foundation

/// Turns the paths given on the command line into the files and model folders to check.
public enum PathExpansion {
    /// File name endings taken when a directory is searched: what Keras's loaders accept.
    public static let modelFileSuffixes = [".keras", ".h5", ".hdf5", ".weights.json"]

    /// Each path as given, except that a directory without `config.json` is searched (sorted, bounded by
    /// `maxEntries`) for model files and model folders. Explicitly named files are always kept, whatever
    /// their name, so that an unclassifiable file is reported rather than skipped.
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
            } else if modelFileSuffixes.contains(where: { name.lowercased().hasSuffix($0) }) {
                found.append(path)
            }
            if found.count >= budget { break }
        }
        return found
    }
}
