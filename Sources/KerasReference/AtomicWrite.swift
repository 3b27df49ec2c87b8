import Foundation

/// Writes a file or a folder so that a failure never leaves a partial result at the target: the output is
/// built under a temporary sibling (`.<name>.XXXXXX`, same directory, hence same file system) and renamed
/// onto the target only once complete; the temporary is removed on failure. Keras writes in place
/// (`open(filepath, "wb")`, SL:142-145; `_save_model_to_dir`, SL:161-192), so its failures leave partial
/// files (FORMAT.md 1.4); kconform deliberately does not.
enum AtomicWrite {
    /// The members an existing folder may hold for ``directory(at:overwrite:_:)`` to replace it: what
    /// `save_model(zipped=False)` writes (SL:44-49). Any other directory is refused, never deleted.
    static let modelFolderMembers: Set<String> = ["config.json", "metadata.json", "model.weights.h5", "model.weights.npz", "assets"]

    /// Writes `bytes` to `path` (mode 0644) by a temporary sibling, `fsync`, and `rename`.
    static func file(_ bytes: [UInt8], to path: String) throws(ReferenceError) {
        let (directory, base) = try split(path)
        var template = Array("\(directory)/.\(base).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw systemError("creating a temporary file next to \(path)", at: path) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var failure: ReferenceError?
        let written = bytes.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let result = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += result
            }
            return true
        }
        if !written {
            failure = systemError("writing \(temporary)", at: path)
        } else if fchmod(descriptor, 0o644) != 0 {
            failure = systemError("setting the mode of \(temporary)", at: path)
        } else if fsync(descriptor) != 0 {
            failure = systemError("flushing \(temporary)", at: path)
        }
        if close(descriptor) != 0, failure == nil { failure = systemError("closing \(temporary)", at: path) }
        if failure == nil, rename(temporary, path) != 0 { failure = systemError("renaming \(temporary) to \(path)", at: path) }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// Builds a folder at `path` (mode 0755): `fill` writes into a temporary sibling folder, which is then
    /// renamed onto `path`. An existing model folder is replaced only with `overwrite` (it is moved aside,
    /// the new folder moved in, then the old one deleted; if moving in fails the old one is put back). An
    /// existing file, or a directory holding anything but a model's members, is refused.
    static func directory(at path: String, overwrite: Bool, _ fill: (String) throws(ReferenceError) -> Void) throws(ReferenceError) {
        let (directory, base) = try split(path)
        let target = directory + "/" + base
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = manager.fileExists(atPath: target, isDirectory: &isDirectory)
        if exists {
            guard isDirectory.boolValue else {
                throw ReferenceError(ReferenceError.Code.saveFailed, "\(path) exists and is not a directory", at: path)
            }
            guard overwrite else { throw ReferenceError(ReferenceError.Code.saveFailed, "\(path) exists and overwrite is false", at: path) }
            let contents = (try? manager.contentsOfDirectory(atPath: target)) ?? []
            if let foreign = contents.sorted().first(where: { !modelFolderMembers.contains($0) }) {
                throw ReferenceError(ReferenceError.Code.saveFailed,
                                     "\(path) is a directory holding \(foreign), not a model folder; refusing to replace it", at: path)
            }
        }
        let temporary = try temporaryDirectory(next: target)
        do throws(ReferenceError) {
            try fill(temporary)
            guard chmod(temporary, 0o755) == 0 else { throw systemError("setting the mode of \(temporary)", at: path) }
            if exists {
                let aside = try temporaryDirectory(next: target + ".old")
                guard rename(target, aside) == 0 else {
                    let error = systemError("moving the old \(path) aside", at: path)
                    try? manager.removeItem(atPath: aside)
                    throw error
                }
                guard rename(temporary, target) == 0 else {
                    let error = systemError("renaming \(temporary) to \(path)", at: path)
                    rename(aside, target)
                    throw error
                }
                try? manager.removeItem(atPath: aside)
            } else {
                guard rename(temporary, target) == 0 else { throw systemError("renaming \(temporary) to \(path)", at: path) }
            }
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Writes `bytes` to a new file at `path` inside a folder being built (mode 0644, no rename needed).
    static func plainFile(_ bytes: [UInt8], to path: String) throws(ReferenceError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o644]) else {
            throw systemError("writing \(path)", at: path)
        }
    }

    /// A new empty directory `.<base>.XXXXXX` next to `target`.
    private static func temporaryDirectory(next target: String) throws(ReferenceError) -> String {
        let (directory, base) = try split(target)
        var template = Array("\(directory)/.\(base).XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw systemError("creating a temporary folder next to \(target)", at: target)
        }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The parent directory (`.` when none) and the last component of `path`, trailing slashes ignored.
    private static func split(_ path: String) throws(ReferenceError) -> (directory: String, base: String) {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let slash = trimmed.lastIndex(of: "/")
        let directory = slash.map { $0 == trimmed.startIndex ? "/" : String(trimmed[..<$0]) } ?? "."
        let base = slash.map { String(trimmed[trimmed.index(after: $0)...]) } ?? String(trimmed)
        guard !base.isEmpty, base != ".", base != ".." else {
            throw ReferenceError(ReferenceError.Code.saveFailed, "\(path) does not name a file or folder", at: path)
        }
        return (directory == "/" ? "" : directory, base)
    }

    private static func systemError(_ action: String, at path: String) -> ReferenceError {
        ReferenceError(ReferenceError.Code.saveFailed, "\(action): \(String(cString: strerror(errno)))", at: path)
    }
}
