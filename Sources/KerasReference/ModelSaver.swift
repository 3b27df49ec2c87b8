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
    /// The Keras version written to `metadata.json`: the one kconform conforms to.
    public static let kerasVersion = "3.15.1"

    /// Saves the model like `model.save(path)`: a `.keras` archive, written atomically (a failure never
    /// leaves a partial file at `path`). Refuses to replace an existing file unless `overwrite`.
    public func save(to path: String, overwrite: Bool = true) throws(ReferenceError) {
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

    /// Saves only the weights, like `model.save_weights(path)`; `path` must end in `.weights.h5`.
    public func saveWeights(to path: String) throws(ReferenceError) {
        guard path.hasSuffix(".weights.h5") else {
            throw ReferenceError(ReferenceError.Code.saveFailed, "The filename must end in `.weights.h5`.", at: path)
        }
        let bytes = try weightsBytes(destination: .path)
        do { try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw ReferenceError(ReferenceError.Code.saveFailed, error.localizedDescription, at: path)
        }
    }

    /// The `assets/` members of the archive the model came from, in stored order (FORMAT.md 6).
    func assets() throws(ReferenceError) -> [(String, ByteView)] {
        guard let archive = file.archive else { return [] }
        var result: [(String, ByteView)] = []
        for entry in archive.entries where entry.name.hasPrefix("assets/") && archive.entry(named: entry.name) == entry {
            do throws(ZipError) { result.append((entry.name, try archive.contents(of: entry))) } catch {
                throw ReferenceError(ReferenceError.Code.loadFailed, "\(error.code.ruleID): \(error.reason)", at: entry.name)
            }
        }
        return result
    }

    /// `config.json`: the config as loaded, written as `json.dumps` writes it.
    func configJSON() throws(ReferenceError) -> [UInt8] {
        guard let config = file.configJSON else { throw ReferenceError(ReferenceError.Code.notAModel, "no config to save", at: file.path) }
        return JSONWriter.dumpBytes(config)
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
