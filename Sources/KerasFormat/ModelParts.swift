import Foundation
import KerasBytes
import KerasZip

/// Why a part of a model could not be read.
enum PartReadFailure: Error {
    /// A reader refused the bytes.
    case reader(any ReaderError)
    /// The file system refused.
    case io(String)
}

/// The named parts of a model: members of an archive or files of a folder.
protocol ModelParts {
    /// Whether a part called `name` exists.
    func contains(_ name: String) -> Bool
    /// The bytes of part `name`.
    func contents(of name: String) -> Result<ByteView, PartReadFailure>
}

/// The members of a `.keras` archive; a name resolves to the last central entry, as Python's zipfile does.
struct ArchiveParts: ModelParts {
    let archive: ZipArchive

    func contains(_ name: String) -> Bool { archive.entry(named: name) != nil }

    func contents(of name: String) -> Result<ByteView, PartReadFailure> {
        guard let entry = archive.entry(named: name) else { return .failure(.io("no member \(name)")) }
        do { return .success(try archive.contents(of: entry)) } catch { return .failure(.reader(error)) }
    }
}

/// The files of an unzipped model folder. Symbolic links are listed but never followed.
struct FolderParts: ModelParts {
    struct File {
        let name: String
        let size: Int
        let isSymlink: Bool
    }

    let root: String
    private(set) var files: [File] = []
    private(set) var truncated = false

    init(root: String, maxEntries: Int) {
        self.root = root
        let rootURL = URL(fileURLWithPath: root, isDirectory: true)
        let keys: [URLResourceKey] = [.isRegularFileKey, .isSymbolicLinkKey, .fileSizeKey]
        guard let enumerator = FileManager.default.enumerator(at: rootURL, includingPropertiesForKeys: keys, options: []) else { return }
        var seen = 0
        let prefixLength = rootURL.standardizedFileURL.path.count + 1
        for case let url as URL in enumerator {
            seen += 1
            if seen > maxEntries {
                truncated = true
                break
            }
            let values = try? url.resourceValues(forKeys: Set(keys))
            let isSymlink = values?.isSymbolicLink ?? false
            guard isSymlink || values?.isRegularFile == true else { continue }
            let name = String(url.standardizedFileURL.path.dropFirst(prefixLength))
            files.append(File(name: name, size: values?.fileSize ?? 0, isSymlink: isSymlink))
        }
        files.sort { $0.name < $1.name }
    }

    func contains(_ name: String) -> Bool { files.contains { $0.name == name } }

    func contents(of name: String) -> Result<ByteView, PartReadFailure> {
        guard let file = files.first(where: { $0.name == name }) else { return .failure(.io("no file \(name)")) }
        if file.isSymlink { return .failure(.io("\(name) is a symbolic link; kconform does not follow links out of a model folder")) }
        do { return .success(try ByteView(mappingFileAt: root + "/" + name)) } catch { return .failure(.io(error.description)) }
    }
}
