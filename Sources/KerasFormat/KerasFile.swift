import KerasBytes
import KerasJSON
import KerasZip

/// A Keras model file as kconform sees it: what kind it is, what it contains, and what was wrong
/// while reading it.
///
/// `open` never fails because of the file's content: every reader error, every anomaly, and every
/// part that could not be read becomes a ``Finding``, and the parts that could be read are exposed.
public struct KerasFile: Sendable {
    /// A member of an archive, a file of a model folder, or a file of a sharded save.
    public struct Member: Sendable {
        /// The member name (relative path inside the archive or folder).
        public let name: String
        /// The uncompressed size in bytes.
        public let size: Int
        /// The stored size, for archive members.
        public let compressedSize: Int?
        /// `stored`, `deflate`, or `method N`, for archive members.
        public let method: String?
        /// The DOS timestamp, for archive members (`1980-01-01 00:00:00`).
        public let modified: String?
    }

    /// What the file says about its producer.
    public struct Metadata: Sendable {
        /// `keras_version` from `metadata.json` or the legacy root attribute.
        public let kerasVersion: String?
        /// `date_saved` from `metadata.json`.
        public let dateSaved: String?
        /// The `backend` root attribute of legacy files.
        public let backend: String?
    }

    /// The path as given.
    public let path: String
    /// What the path holds.
    public let kind: KerasFileKind
    /// The size on disk of everything read (the archive, the folder's files, the index and its shards).
    public let byteCount: Int
    /// Archive members, folder files or sharded files, in stored order.
    public let members: [Member]
    /// Producer information, when the file has any.
    public let metadata: Metadata?
    /// `config.json`, or the legacy `model_config` attribute, as parsed JSON.
    public let configJSON: JSONValue?
    /// The model config's envelope and layer tree.
    public let config: ModelConfig?
    /// The weights, when the file has any.
    public let weights: WeightsTree?
    /// Everything found wrong or notable while reading, in the order found.
    public let findings: [Finding]
    /// The parsed archive, for `.keras` files that could be parsed.
    public let archive: ZipArchive?

    /// Reads `path`; throws only when the path itself cannot be read.
    public static func open(_ path: String, limits: ReadLimits = ReadLimits()) throws(KerasFileError) -> KerasFile {
        var reader = KerasFileReader(path: path, limits: limits)
        try reader.read()
        return KerasFile(reader)
    }

    /// Reads a single file's bytes held in memory (an archive, an HDF5 file, a sharded index whose shards
    /// are looked up next to `name`). `name` supplies the extension Keras would dispatch on.
    public static func read(bytes: ByteView, name: String, limits: ReadLimits = ReadLimits()) -> KerasFile {
        var reader = KerasFileReader(path: name, limits: limits)
        reader.read(bytes)
        return KerasFile(reader)
    }
}

extension KerasFile {
    fileprivate init(_ reader: KerasFileReader) {
        self.init(path: reader.path, kind: reader.kind, byteCount: reader.byteCount, members: reader.members,
                  metadata: reader.metadata, configJSON: reader.configJSON, config: reader.config,
                  weights: reader.weights, findings: reader.findings, archive: reader.archive)
    }
}
