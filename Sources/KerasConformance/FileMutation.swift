/// One mutation of a saved file's bytes: its kind, what it changed, and the mutated bytes.
///
/// ``FileMutator`` makes them; the robustness property feeds ``bytes`` to the readers and records
/// ``description`` with the outcome, so that a failure names the change that caused it.
public struct FileMutation: Sendable, CustomStringConvertible {
    /// Which layer of the file a kind works on.
    public enum Family: String, Sendable, CaseIterable {
        /// Plain bytes, whatever the format.
        case bytes
        /// The zip structure of a `.keras` archive, re-assembled so that the archive stays readable.
        case zip
        /// The HDF5 structure of a weights file (standalone or the archive's `model.weights.h5`).
        case hdf5
        /// The JSON of `config.json` (or `metadata.json`) in an archive, or a legacy file's `model_config`.
        case json
    }

    /// Every kind of mutation, by family.
    public enum Kind: String, Sendable, CaseIterable {
        /// 1 to 8 bits flipped at random offsets.
        case flipBits = "bytes.flip-bits"
        /// 1 to 16 random bytes inserted at a random offset.
        case insertBytes = "bytes.insert"
        /// A range of 1 to 64 bytes deleted.
        case deleteBytes = "bytes.delete"
        /// The file cut at a random length (the robustness property also runs strict prefixes on their own).
        case truncate = "bytes.truncate"
        /// A 1-, 2-, 4- or 8-byte little-endian boundary value (0, 1, max, sign bit, ...) written at a random offset.
        case overwriteInteger = "bytes.integer"

        /// Members reordered, in the local headers and the central directory alike (a valid archive).
        case zipReorderEntries = "zip.reorder"
        /// The central directory reordered, the local headers left in place (a valid archive).
        case zipReorderCentralDirectory = "zip.reorder-central"
        /// A member repeated under its name, with its own or other contents.
        case zipDuplicateEntry = "zip.duplicate"
        /// A member's data cut short, with the headers' sizes kept or updated (CRC stale).
        case zipTruncateMember = "zip.truncate-member"
        /// A local header field (name, CRC, sizes, method, flags) that disagrees with the central directory.
        case zipLocalHeaderDisagrees = "zip.local-disagrees"
        /// A member's data replaced (random, empty, another member's, or overwritten in part) with a correct
        /// CRC and sizes, so that the member's own parser sees it.
        case zipReplaceMember = "zip.replace-member"
        /// A central entry's local header offset pointed elsewhere.
        case zipRedirectLocalHeader = "zip.redirect-local"
        /// The end record's entry counts, directory size or directory offset changed.
        case zipEndRecordFields = "zip.end-record"

        /// A stored address (object header, B-tree, heap, data) pointed at another structure, into the middle
        /// of one, past the end of the file, or at the undefined address.
        case hdf5RedirectAddress = "hdf5.redirect-address"
        /// A dataset's dimension changed in its dataspace message.
        case hdf5ChangeDimension = "hdf5.dimension"
        /// A size or count field changed: contiguous data size, heap size, B-tree entries or level, symbol
        /// count, global heap size, end-of-file address.
        case hdf5ChangeSizeField = "hdf5.size-field"
        /// One byte of a signature (superblock, TREE, HEAP, SNOD, GCOL, OHDR, ...) damaged.
        case hdf5DamageSignature = "hdf5.signature"

        /// A JSON subtree deleted (an object member or an array element).
        case jsonDeleteSubtree = "json.delete"
        /// A JSON subtree replaced by a value of another type.
        case jsonRetypeSubtree = "json.retype"

        /// The family the kind belongs to.
        public var family: Family {
            switch self {
            case .flipBits, .insertBytes, .deleteBytes, .truncate, .overwriteInteger: .bytes
            case .zipReorderEntries, .zipReorderCentralDirectory, .zipDuplicateEntry, .zipTruncateMember,
                 .zipLocalHeaderDisagrees, .zipReplaceMember, .zipRedirectLocalHeader, .zipEndRecordFields: .zip
            case .hdf5RedirectAddress, .hdf5ChangeDimension, .hdf5ChangeSizeField, .hdf5DamageSignature: .hdf5
            case .jsonDeleteSubtree, .jsonRetypeSubtree: .json
            }
        }
    }

    /// The kind.
    public let kind: Kind
    /// What was changed, where (offsets, member names, HDF5 fields, JSON pointers).
    public let detail: String
    /// The mutated file.
    public let bytes: [UInt8]

    /// A mutation of `kind` that produced `bytes`.
    public init(kind: Kind, detail: String, bytes: [UInt8]) {
        self.kind = kind
        self.detail = detail
        self.bytes = bytes
    }

    /// The kind's name, for reports (`zip.duplicate`).
    public var name: String { kind.rawValue }

    public var description: String { "\(kind.rawValue): \(detail)" }
}
