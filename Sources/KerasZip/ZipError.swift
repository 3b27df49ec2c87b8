import KerasBytes

/// An error or finding of the zip reader: a stable code, a reason with the values seen, and where.
///
/// Codes marked *fatal* are thrown by ``ZipArchive/read(_:limits:)`` because the archive's members cannot
/// be located or read. Codes marked *issue* are anomalies that Python's `zipfile` (and so Keras) tolerates:
/// the reader records them in ``ZipArchive/issues`` and carries on, reading what Python would read.
/// Codes marked *member* are thrown by ``ZipArchive/contents(of:)`` and ``ZipArchive/verify(_:)``; some issues
/// also block reading their member (said on each code). Equality compares the code only.
public struct ZipError: ReaderError, Equatable {
    /// The stable code (domain `ZIP`).
    public let code: ErrorCode
    /// A human sentence on what was wrong, with the values seen.
    public let reason: String
    /// The byte offset in the archive where the problem was found, when there is one.
    public let offset: Int?
    /// The member concerned (its name as Python's `zipfile` reports it), when there is one.
    public let member: String?

    /// An error with `code`, `reason` and where it was found.
    public init(_ code: ErrorCode, _ reason: String, offset: Int? = nil, member: String? = nil) {
        self.code = code
        self.reason = reason
        self.offset = offset
        self.member = member
    }

    /// Where, for people: `byte 107, member 'config.json'`.
    public var location: String {
        var parts: [String] = []
        if let offset { parts.append("byte \(offset)") }
        if let member { parts.append("member '\(member)'") }
        return parts.joined(separator: ", ")
    }

    public static func == (lhs: ZipError, rhs: ZipError) -> Bool { lhs.code == rhs.code }
}

extension ZipError {
    /// Every code of the zip reader. Numbers are stable: never renumbered, never reused.
    public enum Code {
        private static func code(_ number: Int, _ name: String, _ category: ErrorCategory, _ summary: String) -> ErrorCode {
            ErrorCode(domain: "ZIP", number: number, name: name, category: category, summary: summary)
        }

        /// Fatal: no end of central directory signature in the searched tail of the file (not a zip, or cut short).
        public static let endOfCentralDirectoryNotFound = code(1, "endOfCentralDirectoryNotFound", .malformed,
            "No end of central directory record near the end of the file: not a zip archive, or cut short.")
        /// Fatal: the last end of central directory signature is followed by fewer than 22 bytes (Python fails too).
        public static let truncatedEndRecord = code(2, "truncatedEndRecord", .malformed,
            "The end of central directory record is cut short.")
        /// Issue: the archive comment length runs past the end of the file; Python reads the shorter comment.
        public static let commentOverrun = code(3, "commentOverrun", .malformed,
            "The archive comment length runs past the end of the file.")
        /// Issue: bytes follow the end of central directory record and its comment (appended data).
        public static let appendedData = code(4, "appendedData", .malformed,
            "Bytes follow the end of the archive (appended data).")
        /// Fatal: disk numbers say the archive spans several files; unsupported here, as in libzip (Python's
        /// zipfile checks only the ZIP64 locator's disk fields).
        public static let multiDisk = code(5, "multiDisk", .unsupported,
            "The archive claims to span several disks.")
        /// Fatal: a ZIP64 locator is present but the ZIP64 end record does not fit before it.
        public static let truncatedZip64EndRecord = code(6, "truncatedZip64EndRecord", .malformed,
            "The ZIP64 end of central directory record is cut short.")
        /// Fatal: a ZIP64 end record, central directory header or local header lacks its signature.
        public static let badSignature = code(7, "badSignature", .malformed,
            "A zip record does not start with its signature.")
        /// Issue: the ZIP64 locator or end record disagrees with itself or with the classic end record;
        /// the ZIP64 end record's values are used, as Python does.
        public static let zip64EndRecordMismatch = code(8, "zip64EndRecordMismatch", .malformed,
            "The ZIP64 end records disagree with each other or with the end of central directory record.")
        /// Fatal: the central directory's declared size puts its start before the start of the file.
        public static let centralDirectoryOutOfRange = code(9, "centralDirectoryOutOfRange", .malformed,
            "The central directory does not fit in the file.")
        /// Issue: the declared central directory offset differs from where the directory actually starts; every
        /// offset is re-based by the difference, as Python does for archives with prepended data.
        public static let offsetsShifted = code(10, "offsetsShifted", .malformed,
            "Declared offsets are off by a constant (data was prepended without adjusting offsets).")
        /// Fatal: a central directory header, name, extra field or comment runs past the directory's declared size.
        public static let truncatedCentralDirectory = code(11, "truncatedCentralDirectory", .malformed,
            "A central directory header runs past the end of the central directory.")
        /// Issue: the entry counts of the end record disagree with the headers in the directory (Python ignores them).
        public static let entryCountMismatch = code(12, "entryCountMismatch", .malformed,
            "The end record's entry count disagrees with the central directory.")
        /// Fatal: more members than `ZipLimits.maxMembers`, counted or declared by the end record.
        public static let tooManyMembers = code(13, "tooManyMembers", .limitExceeded,
            "The archive has more members than the limit.")
        /// Fatal: a central extra field runs past its block, or a needed ZIP64 value is missing (Python fails too).
        public static let malformedExtraField = code(14, "malformedExtraField", .malformed,
            "A central directory extra field is malformed.")
        /// Issue: 1 to 3 bytes after the last extra field, too few for a field header (Python ignores them).
        public static let extraFieldTrailingBytes = code(15, "extraFieldTrailingBytes", .malformed,
            "Bytes after the last extra field are too few for a field header.")
        /// Issue: one extra field id appears twice in one header; the first ZIP64 field is used, as Python does.
        public static let duplicateExtraField = code(16, "duplicateExtraField", .malformed,
            "An extra field id appears more than once in one header.")
        /// Fatal: a header has more extra fields than `ZipLimits.maxExtraFieldsPerEntry`.
        public static let tooManyExtraFields = code(17, "tooManyExtraFields", .limitExceeded,
            "A header has more extra fields than the limit.")
        /// Issue: the version needed to extract is above 6.3; Python's zipfile refuses the whole archive.
        public static let versionNeededTooHigh = code(18, "versionNeededTooHigh", .unsupported,
            "The version needed to extract is higher than Python's zipfile supports (6.3).")
        /// Issue: a member name is longer than `ZipLimits.maxNameLength` bytes.
        public static let nameTooLong = code(19, "nameTooLong", .limitExceeded,
            "A member name is longer than the limit.")
        /// Issue: a member name is empty.
        public static let emptyName = code(20, "emptyName", .policyRejected,
            "A member name is empty.")
        /// Issue: a member name is an absolute path (leading `/` or `\`, or a drive letter).
        public static let absolutePath = code(21, "absolutePath", .policyRejected,
            "A member name is an absolute path.")
        /// Issue: a member name has a `..` component (path traversal).
        public static let parentDirectoryComponent = code(22, "parentDirectoryComponent", .policyRejected,
            "A member name contains a '..' component.")
        /// Issue: a member name contains a backslash (a path separator on Windows).
        public static let backslashInName = code(23, "backslashInName", .policyRejected,
            "A member name contains a backslash.")
        /// Issue: a member name contains NUL; Python cuts the name at the first NUL.
        public static let nulInName = code(24, "nulInName", .policyRejected,
            "A member name contains a NUL byte.")
        /// Issue: the UTF-8 flag is set but the name is not UTF-8; Python's zipfile refuses the whole archive.
        public static let invalidUTF8Name = code(25, "invalidUTF8Name", .malformed,
            "A member name flagged as UTF-8 is not valid UTF-8.")
        /// Issue: a member is a symbolic link (Unix mode S_IFLNK in the external attributes).
        public static let symlinkEntry = code(26, "symlinkEntry", .policyRejected,
            "A member is a symbolic link.")
        /// Issue: two central entries have one name; Python's zipfile (and so Keras) reads the last one.
        public static let duplicateName = code(27, "duplicateName", .malformed,
            "Two members have the same name.")
        /// Fatal: a local header (fixed part, name or extra field) lies outside the file.
        public static let truncatedLocalHeader = code(28, "truncatedLocalHeader", .malformed,
            "A local header lies outside the file.")
        /// Issue, blocks its member: the local header names another file; Python fails to read the member.
        public static let localNameMismatch = code(29, "localNameMismatch", .malformed,
            "A local header's name differs from its central directory entry.")
        /// Issue: a local header disagrees with its central entry (method, flags, CRC, sizes, version, time);
        /// the central values are used, as Python does.
        public static let localHeaderMismatch = code(30, "localHeaderMismatch", .malformed,
            "A local header disagrees with its central directory entry.")
        /// Fatal: a member's data runs past the end of the file.
        public static let truncatedMemberData = code(31, "truncatedMemberData", .malformed,
            "A member's data runs past the end of the file.")
        /// Issue: the data descriptor after a flag-bit-3 member is missing, cut short, or disagrees with the
        /// central entry (Python ignores descriptors).
        public static let dataDescriptorMismatch = code(32, "dataDescriptorMismatch", .malformed,
            "A data descriptor is missing or disagrees with the central directory.")
        /// Issue: two members' byte ranges overlap, or a member overlaps or follows the central directory.
        public static let overlappingEntries = code(33, "overlappingEntries", .malformed,
            "Members overlap each other or the central directory.")
        /// Issue: bytes before the first member (prepended data).
        public static let prependedData = code(34, "prependedData", .malformed,
            "Bytes precede the first member (prepended data).")
        /// Issue: unaccounted bytes between two members.
        public static let gapBetweenMembers = code(35, "gapBetweenMembers", .malformed,
            "Unaccounted bytes lie between two members.")
        /// Issue: unaccounted bytes between the last member and the central directory.
        public static let gapBeforeCentralDirectory = code(36, "gapBeforeCentralDirectory", .malformed,
            "Unaccounted bytes lie between the last member and the central directory.")
        /// Issue, blocks its member: the member is encrypted (flag bit 0 or 6).
        public static let encryptedMember = code(37, "encryptedMember", .unsupported,
            "A member is encrypted.")
        /// Issue, blocks its member: a compression method other than STORED and DEFLATE, or patched data (bit 5).
        public static let unsupportedMethod = code(38, "unsupportedMethod", .unsupported,
            "A member uses a compression method other than STORED or DEFLATE.")
        /// Issue, blocks its member: a STORED member whose compressed and uncompressed sizes differ.
        public static let storedSizeMismatch = code(39, "storedSizeMismatch", .malformed,
            "A STORED member declares different compressed and uncompressed sizes.")
        /// Issue, blocks its member: the declared uncompressed size is above `ZipLimits.maxMemberUncompressedSize`.
        public static let memberTooLarge = code(40, "memberTooLarge", .limitExceeded,
            "A member declares more uncompressed bytes than the per-member limit.")
        /// Issue, blocks this and every later member: declared sizes add up to more than
        /// `ZipLimits.maxTotalUncompressedSize`.
        public static let totalSizeTooLarge = code(41, "totalSizeTooLarge", .limitExceeded,
            "The members declare more uncompressed bytes in total than the limit.")
        /// Issue, blocks its member: declared size over `ZipLimits.expansionRatioFloor` and more than
        /// `ZipLimits.maxExpansionRatio` times the compressed size (a decompression bomb); not reported for a
        /// member already refused as `memberTooLarge`.
        public static let expansionRatioExceeded = code(42, "expansionRatioExceeded", .limitExceeded,
            "A member declares more uncompressed bytes per compressed byte than the limit.")
        /// Issue: the DOS date or time holds an impossible value (month 0, hour 24, ...).
        public static let invalidTimestamp = code(43, "invalidTimestamp", .malformed,
            "A member's DOS date or time is not a valid date and time.")
        /// Member: the CRC-32 of the member's data differs from the declared one.
        public static let crcMismatch = code(44, "crcMismatch", .malformed,
            "A member's CRC-32 does not match its data.")
        /// Member: the inflated data is longer or shorter than the declared uncompressed size.
        public static let sizeMismatch = code(45, "sizeMismatch", .malformed,
            "A member's inflated size differs from its declared size.")
        /// Member: zlib rejects the DEFLATE stream, it ends early, or bytes follow its end.
        public static let corruptDeflateStream = code(46, "corruptDeflateStream", .malformed,
            "A member's DEFLATE stream is corrupt, cut short, or followed by extra bytes.")
        /// Issue: a local extra field runs past its block or lacks a needed ZIP64 value (Python ignores local extras).
        public static let malformedLocalExtraField = code(47, "malformedLocalExtraField", .malformed,
            "A local header extra field is malformed.")

        /// Every code, in number order; the rule catalogue is built from this list.
        public static let all: [ErrorCode] = [
            endOfCentralDirectoryNotFound, truncatedEndRecord, commentOverrun, appendedData, multiDisk,
            truncatedZip64EndRecord, badSignature, zip64EndRecordMismatch, centralDirectoryOutOfRange, offsetsShifted,
            truncatedCentralDirectory, entryCountMismatch, tooManyMembers, malformedExtraField, extraFieldTrailingBytes,
            duplicateExtraField, tooManyExtraFields, versionNeededTooHigh, nameTooLong, emptyName,
            absolutePath, parentDirectoryComponent, backslashInName, nulInName, invalidUTF8Name,
            symlinkEntry, duplicateName, truncatedLocalHeader, localNameMismatch, localHeaderMismatch,
            truncatedMemberData, dataDescriptorMismatch, overlappingEntries, prependedData, gapBetweenMembers,
            gapBeforeCentralDirectory, encryptedMember, unsupportedMethod, storedSizeMismatch, memberTooLarge,
            totalSizeTooLarge, expansionRatioExceeded, invalidTimestamp, crcMismatch, sizeMismatch,
            corruptDeflateStream, malformedLocalExtraField,
        ]
    }
}
