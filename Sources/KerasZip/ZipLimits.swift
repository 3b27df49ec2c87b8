/// Every budget of the zip reader, each with its default and the reason for it.
///
/// The defaults accept every archive Keras writes for models of up to a few GiB and refuse the zip
/// tricks of THREATS.md section C before any member data is touched.
public struct ZipLimits: Sendable, Hashable {
    /// Most members (central directory entries) read. Default 65,535: the most a classic (non-ZIP64) end
    /// record can count; a Keras archive has three members plus its assets. More is fatal (`tooManyMembers`).
    public var maxMembers: Int
    /// Longest member name in bytes. Default 4,096: Linux `PATH_MAX`; no extractor can create a longer path.
    public var maxNameLength: Int
    /// Largest declared uncompressed size of one member. Default 4 GiB (`1 << 32`): Keras's own
    /// zip-bomb threshold (saving_lib `_reject_zip_bomb`), applied here without Keras's ratio condition.
    public var maxMemberUncompressedSize: Int
    /// Largest sum of the declared uncompressed sizes of all members. Default 8 GiB: two members at the
    /// per-member limit; Keras has no total cap, which is how many-member bombs pass it (THREATS.md C2).
    public var maxTotalUncompressedSize: Int
    /// Largest ratio of declared uncompressed to compressed size. Default 100: Keras's bomb ratio.
    public var maxExpansionRatio: Int
    /// The ratio limit applies only to members declaring more than this many bytes. Default 1 MiB: small
    /// JSON members compress far better than 100:1 and are harmless at that size.
    public var expansionRatioFloor: Int
    /// How many bytes at the end of the file are searched for the end of central directory record.
    /// Default 65,557: the 22-byte record plus the longest possible comment (Python searches one byte more).
    public var maxEndOfCentralDirectorySearch: Int
    /// Most extra fields in one header. Default 64: real writers add at most four (ZIP64, timestamps,
    /// Unix ids, Unicode path); the cap bounds the work on a 64 KiB block of empty fields.
    public var maxExtraFieldsPerEntry: Int
    /// Most issues of one code kept in `ZipArchive.issues`; more are only counted in `ZipArchive.issueCounts`.
    /// Default 100: every instance in any plausible archive is shown, while a hostile directory of 65,535
    /// entries with a dozen issues each cannot turn 3 MB of input into a hundred MB of messages.
    public var maxIssuesPerCode: Int

    /// The defaults described on each field.
    public init() {
        maxMembers = 65_535
        maxNameLength = 4_096
        maxMemberUncompressedSize = 1 << 32
        maxTotalUncompressedSize = 1 << 33
        maxExpansionRatio = 100
        expansionRatioFloor = 1 << 20
        maxEndOfCentralDirectorySearch = 65_557
        maxExtraFieldsPerEntry = 64
        maxIssuesPerCode = 100
    }

    /// Limits with the given values; anything not given keeps its default.
    public init(
        maxMembers: Int? = nil, maxNameLength: Int? = nil, maxMemberUncompressedSize: Int? = nil,
        maxTotalUncompressedSize: Int? = nil, maxExpansionRatio: Int? = nil, expansionRatioFloor: Int? = nil,
        maxEndOfCentralDirectorySearch: Int? = nil, maxExtraFieldsPerEntry: Int? = nil, maxIssuesPerCode: Int? = nil
    ) {
        self.init()
        if let maxMembers { self.maxMembers = maxMembers }
        if let maxNameLength { self.maxNameLength = maxNameLength }
        if let maxMemberUncompressedSize { self.maxMemberUncompressedSize = maxMemberUncompressedSize }
        if let maxTotalUncompressedSize { self.maxTotalUncompressedSize = maxTotalUncompressedSize }
        if let maxExpansionRatio { self.maxExpansionRatio = maxExpansionRatio }
        if let expansionRatioFloor { self.expansionRatioFloor = expansionRatioFloor }
        if let maxEndOfCentralDirectorySearch { self.maxEndOfCentralDirectorySearch = maxEndOfCentralDirectorySearch }
        if let maxExtraFieldsPerEntry { self.maxExtraFieldsPerEntry = maxExtraFieldsPerEntry }
        if let maxIssuesPerCode { self.maxIssuesPerCode = maxIssuesPerCode }
    }
}
