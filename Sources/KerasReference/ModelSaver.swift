import Foundation
import KerasBytes
import KerasFormat
import KerasHDF5
import KerasJSON
import KerasZip

/// Variables of objects the reference core keeps without modelling them (the optimizer's state), so that
/// a loaded model re-saves them unchanged.
struct RetainedObject: Sendable {
    let path: String
    let name: String?
    let variables: [(dtype: String, shape: [Int], bytes: ByteView)]
}

extension KerasModel {
    /// The variables of the optimizer's state (`/optimizer/vars/0..n-1`: dtype, shape, little-endian bytes),
    /// as loaded with `compile` or set by ``setOptimizerState(name:variables:)``; empty when there is none.
    public var optimizerVariables: [(dtype: String, shape: [Int], bytes: ByteView)] {
        retainedObjects.first { $0.path == "optimizer" }?.variables ?? []
    }

    /// Replaces the optimizer's stored state with `variables`, saved as `/optimizer/vars/0..n-1` with the
    /// group attribute `name` (the optimizer's name), as Keras saves a compiled model after training
    /// (FORMAT.md 4.3). The caller gives the variables in Keras's order and dtypes; nothing is checked
    /// against the compile config. An empty list removes the state.
    public func setOptimizerState(name: String?, variables: [(dtype: String, shape: [Int], bytes: ByteView)]) {
        retainedObjects.removeAll { $0.path == "optimizer" || $0.path.hasPrefix("optimizer/") }
        if !variables.isEmpty { retainedObjects.append(RetainedObject(path: "optimizer", name: name, variables: variables)) }
    }

    /// The Keras version written to `metadata.json`: the one kconform conforms to.
    public static let kerasVersion = "3.15.1"

    /// Saves the model like `model.save(path, zipped=zipped)` (API:19-124, SL:75-145). Zipped (the default),
    /// `path` must end in `.keras` and gets the archive; with `zipped: false`, `path` must not end in
    /// `.keras` and becomes an unzipped model folder as `saving_lib.save_model(model, path, zipped=False)`
    /// writes it (SL:161-192): `metadata.json`, `config.json`, `model.weights.h5` (written as
    /// `h5py.File(path, "w")` writes it) and an `assets/` folder, created even when empty as Keras does for
    /// an absolute path (FORMAT.md 6).
    ///
    /// Unlike Keras, both are written atomically (see ``AtomicWrite``): a failure never leaves a partial file
    /// or folder at `path`, and an existing target is left as it was. An existing target is replaced only
    /// with `overwrite`; an existing folder only if it holds nothing but a model's members.
    public func save(to path: String, overwrite: Bool = true, zipped: Bool = true) throws(ReferenceError) {
        guard zipped else { return try saveFolder(to: path, overwrite: overwrite) }
        guard path.hasSuffix(".keras") else {
            throw ReferenceError(ReferenceError.Code.saveFailed, "Invalid filepath extension for saving. Please add the `.keras` extension.", at: path)
        }
        if !overwrite, FileManager.default.fileExists(atPath: path) {
            throw ReferenceError(ReferenceError.Code.saveFailed, "\(path) exists and overwrite is false", at: path)
        }
        var zip = ZipWriter()
        zip.addFile(name: "metadata.json", contents: ByteView(copying: metadataJSON()))
        zip.addFile(name: "config.json", contents: ByteView(copying: try configJSON()))
        zip.addFile(name: "model.weights.h5", contents: ByteView(copying: try weightsBytes(destination: .fileObject)), modified: .now())
        for (name, bytes) in try assets() { zip.addFile(name: name, contents: bytes, modified: .now(), externalAttributes: 0o100644 << 16) }
        do { try zip.write(toFile: path) } catch {
            throw ReferenceError(ReferenceError.Code.saveFailed, error.description, at: path)
        }
    }

    /// The unzipped model folder (`_save_model_to_dir`, SL:161-192), built in a temporary sibling.
    private func saveFolder(to path: String, overwrite: Bool) throws(ReferenceError) {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard !trimmed.hasSuffix(".keras") else {
            throw ReferenceError(ReferenceError.Code.saveFailed,
                                 "When using `zipped=False`, the `filepath` argument should not end in `.keras`. Received: filepath=\(path)", at: path)
        }
        try AtomicWrite.directory(at: trimmed, overwrite: overwrite) { (folder: String) throws(ReferenceError) in
            try AtomicWrite.plainFile(metadataJSON(), to: folder + "/metadata.json")
            try AtomicWrite.plainFile(try configJSON(), to: folder + "/config.json")
            try AtomicWrite.plainFile(try weightsBytes(destination: .path), to: folder + "/model.weights.h5")
            try makeDirectory(folder + "/assets")
            for (name, bytes) in try assets() {
                let components = name.split(separator: "/").map(String.init)
                var directory = folder
                for component in components.dropLast() {
                    directory += "/" + component
                    try makeDirectory(directory)
                }
                try AtomicWrite.plainFile(Array(bytes.bytes), to: folder + "/" + name)
            }
        }
    }

    private func makeDirectory(_ path: String) throws(ReferenceError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755]) } catch {
            throw ReferenceError(ReferenceError.Code.saveFailed, "creating \(path): \(error.localizedDescription)", at: path)
        }
    }

    /// Saves only the weights, like `model.save_weights(path)`; `path` must end in `.weights.h5`. Written
    /// atomically (see ``AtomicWrite``).
    public func saveWeights(to path: String) throws(ReferenceError) {
        guard path.hasSuffix(".weights.h5") else {
            throw ReferenceError(ReferenceError.Code.saveFailed, "The filename must end in `.weights.h5`.", at: path)
        }
        try AtomicWrite.file(try weightsBytes(destination: .path), to: path)
    }

    /// The `assets/` files of the archive or folder the model came from, in stored order (FORMAT.md 6). A
    /// name that would leave `assets/` (`..`, `.`, empty components) is refused, as Keras's
    /// `DiskIOStore._full_path` refuses it ("Invalid asset path", SL:1136-1155).
    func assets() throws(ReferenceError) -> [(String, ByteView)] {
        var result: [(String, ByteView)] = []
        if let archive = file.archive {
            for entry in archive.entries where entry.name.hasPrefix("assets/") && archive.entry(named: entry.name) == entry {
                try checkAssetName(entry.name)
                do throws(ZipError) { result.append((entry.name, try archive.contents(of: entry))) } catch {
                    throw ReferenceError(ReferenceError.Code.loadFailed, "\(error.code.ruleID): \(error.reason)", at: entry.name)
                }
            }
        } else if file.kind == .modelFolder {
            for member in file.members where member.name.hasPrefix("assets/") {
                try checkAssetName(member.name)
                let location = file.path + "/" + member.name
                do { result.append((member.name, try ByteView(mappingFileAt: location))) } catch {
                    throw ReferenceError(ReferenceError.Code.loadFailed, "reading \(location): \(error)", at: member.name)
                }
            }
        }
        return result
    }

    private func checkAssetName(_ name: String) throws(ReferenceError) {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        guard components.count > 1, !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw ReferenceError(ReferenceError.Code.saveFailed, "Invalid asset path: '\(name)' escapes the asset directory.", at: name)
        }
    }

    /// `config.json`, written as `json.dumps` writes it: a Keras 3 config as loaded; a legacy one (from a
    /// legacy `.h5`) as Keras 3 serializes the model it builds from it (``Keras3Config``).
    func configJSON() throws(ReferenceError) -> [UInt8] {
        JSONWriter.dumpBytes(try Keras3Config.config(of: self))
    }

    /// `metadata.json`: `{"keras_version", "date_saved"}` as Keras writes it (FORMAT.md 3).
    func metadataJSON(date: Date = Date()) -> [UInt8] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd@HH:mm:ss"
        let value = JSONValue.object(JSONObject([("keras_version", .string(Self.kerasVersion)), ("date_saved", .string(formatter.string(from: date)))]))
        return JSONWriter.dumpBytes(value)
    }

    /// `model.weights.h5` by Keras's `_save_state` walk (FORMAT.md 4): every object gets `<path>/vars` with
    /// its `name`, variables `0..n-1` in their stored dtype; retained objects (the optimizer) follow.
    func weightsBytes(destination: HDF5Writer.Destination) throws(ReferenceError) -> [UInt8] {
        do throws(HDF5WriteError) {
            let writer = try HDF5Writer(destination: destination)
            for (layer, path) in SaveableTraversal.visit(root) {
                let variables = layer.variables.map { variable in
                    let (dtype, bytes) = variable.bytesForSaving
                    return (dtype: dtype, shape: variable.shape, bytes: bytes)
                }
                try write(writer, path: path, name: layer.name, variables: variables)
            }
            for object in retainedObjects {
                try write(writer, path: object.path, name: object.name, variables: object.variables)
            }
            return try writer.finish()
        } catch {
            throw ReferenceError(ReferenceError.Code.saveFailed, error.description)
        }
    }

    private func write(_ writer: HDF5Writer, path: String, name: String?, variables: [(dtype: String, shape: [Int], bytes: ByteView)]) throws(HDF5WriteError) {
        let group = path.isEmpty ? "/vars" : "/\(path)/vars"
        try writer.createGroup(group)
        if let name { try writer.setStringAttribute(group, name: "name", value: name) }
        for (index, variable) in variables.enumerated() {
            guard let dtype = HDF5Writer.DType(rawValue: variable.dtype) else {
                throw HDF5WriteError(kind: .invalidArgument, call: "save", path: group, detail: "dtype \(variable.dtype) cannot be written")
            }
            try writer.createDataset("\(group)/\(index)", dtype: dtype, shape: variable.shape, data: variable.bytes,
                                     creation: dtype == .bfloat16 ? .createDataset : .assignment)
        }
    }
}
