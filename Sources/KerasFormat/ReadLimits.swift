import KerasHDF5
import KerasJSON
import KerasNpy
import KerasZip

/// Every budget kconform applies while reading one file, in one value.
///
/// The readers' own limits are nested; the fields here bound what the file model adds on top.
/// Each default is chosen so that every file Keras itself writes passes, with the reason given.
public struct ReadLimits: Sendable {
    /// Budgets of the zip reader (members, sizes, expansion ratio).
    public var zip = ZipLimits()
    /// Budgets of the HDF5 reader (objects, depth, declared bytes, rank). The reader's defaults, except
    /// ``HDF5Limits/maxMetadataBytes``: 64 MiB instead of 256 MiB, so that a file whose groups alias each
    /// other stays within kconform's memory promise (input size plus 256 MB); the metadata of the largest
    /// Keras files measured is a few MB.
    public var hdf5: HDF5Limits = {
        var limits = HDF5Limits()
        limits.maxMetadataBytes = 64 << 20
        return limits
    }()
    /// Budgets of the JSON reader (depth, size, digits).
    public var json = JSONLimits()
    /// Budgets of the `.npy` reader for npz weights members (header size, rank, declared bytes per member).
    /// The nested npz archive is read with ``zip``, so its member count and total expansion are bounded too.
    public var npy = NpyLimits()
    /// Largest `config.json`, `metadata.json`, legacy `model_config` or sharded index read, in bytes.
    /// Default 256 MiB: far above the largest real configs (a few MB for 1,000-layer models).
    public var maxJSONDocumentBytes = 256 << 20
    /// Most files looked at inside a model folder. Default 100,000: a folder with assets for every layer
    /// of a very large model stays far below.
    public var maxFolderEntries = 100_000
    /// Most shards a sharded index may name. Default 100,000 shards (a 1 TB model in 10 MB shards).
    public var maxShards = 100_000
    /// A dataset declaring more than this many bytes beyond what it stores is a declared-size bomb
    /// (`KC-W-011`). Default 256 MiB: the point where Keras's own 4 GiB/1000x rule is far too lenient
    /// (a 17 KB file declaring 1 GiB cost 3.35 GB at load, THREATS.md B5).
    public var maxUnstoredDatasetBytes = 256 << 20

    /// Most bytes inflated from deflated archive members by each stage of a check (reading the model,
    /// verifying the other members, reading npz members). Default 96 MiB: three stages stay within the
    /// 256 MB that `kconform check` may use beyond the input, and inflating that much takes well under a
    /// second. Keras writes stored members, which are read in place and do not count (`KC-SAFE-011`).
    public var maxInflatedBytes = 96 << 20

    /// The defaults.
    public init() {}
}
