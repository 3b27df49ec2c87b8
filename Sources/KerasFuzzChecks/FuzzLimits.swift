import KerasFormat
import KerasHDF5
import KerasJSON
import KerasZip

/// The reader budgets of the fuzz targets: the production defaults with the data and object budgets cut,
/// so that one input costs milliseconds, and a tight variant (option bit) that drives inputs into every
/// limit check.
enum FuzzLimits {
    /// Most HDF5 objects decoded: 65,536. The default million costs 0.4 s in a release build and 19 s in a
    /// debug build with ASan on a 4 KB aliasing bomb (Corpus/invalid/hdf5/objectLimitExceeded.h5), which
    /// would pass for a timeout.
    static let maxObjects = 1 << 16
    /// Largest member or dataset a fuzz input may unpack: 4 MiB, 64 times the largest input a campaign feeds.
    static let maxUnpackedBytes = 1 << 22
    /// Largest sum of members or datasets: 16 MiB.
    static let maxTotalUnpackedBytes = 1 << 24

    /// Zip budgets.
    static func zip(tight: Bool) -> ZipLimits {
        var limits = ZipLimits(maxMemberUncompressedSize: maxUnpackedBytes, maxTotalUncompressedSize: maxTotalUnpackedBytes)
        if tight {
            limits = ZipLimits(
                maxMembers: 8, maxNameLength: 32, maxMemberUncompressedSize: 4096, maxTotalUncompressedSize: 8192,
                maxExpansionRatio: 10, expansionRatioFloor: 256, maxEndOfCentralDirectorySearch: 1024,
                maxExtraFieldsPerEntry: 4, maxIssuesPerCode: 2)
        }
        return limits
    }

    /// HDF5 budgets.
    static func hdf5(tight: Bool, allowBytesAfterEndOfFile: Bool = false) -> HDF5Limits {
        var limits = HDF5Limits()
        limits.maxObjects = maxObjects
        limits.maxDeclaredDatasetBytes = maxUnpackedBytes
        limits.maxTotalDeclaredBytes = maxTotalUnpackedBytes
        limits.allowBytesAfterEndOfFile = allowBytesAfterEndOfFile
        if tight {
            limits.maxObjects = 32
            limits.maxDepth = 4
            limits.maxDeclaredDatasetBytes = 4096
            limits.maxTotalDeclaredBytes = 16384
            limits.maxRank = 4
            limits.maxAttributeBytes = 1024
            limits.maxTotalAttributeBytes = 4096
            limits.maxAttributesPerObject = 8
            limits.maxLinksPerGroup = 8
            limits.maxBTreeDepth = 3
            limits.maxChunkCount = 16
            limits.maxStringLength = 256
            limits.maxNameLength = 64
            limits.maxDatatypeDepth = 3
            limits.maxMetadataBytes = 16384
        }
        return limits
    }

    /// JSON budgets.
    static func json(tight: Bool) -> JSONLimits {
        guard tight else { return ReadLimits().json }
        return JSONLimits(maxInputBytes: 4096, maxDepth: 8, maxStringBytes: 64, maxIntegerDigits: 20, maxValues: 256,
                          maxReportedDuplicateKeys: 2, maxPointerBytes: 32)
    }

    /// Whole-file budgets.
    static func read() -> ReadLimits {
        var limits = ReadLimits()
        limits.zip = zip(tight: false)
        limits.hdf5 = hdf5(tight: false)
        limits.maxUnstoredDatasetBytes = maxUnpackedBytes
        return limits
    }
}
