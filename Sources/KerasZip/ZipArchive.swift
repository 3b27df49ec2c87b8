import KerasBytes

/// A zip archive read strictly from untrusted bytes: its directory, the anomalies found in it, and
/// on-demand, budgeted access to member data.
///
/// Reading the directory touches only the end records, the central directory, the local headers and data
/// descriptors, never member data. What stops the reader from locating or reading members is thrown;
/// anomalies Python's zipfile tolerates are listed in ``issues`` (see each ``ZipError/Code``), and the
/// archive is read the way Python reads it: the same end record, the same offset re-basing, the central
/// directory's sizes, the last of several entries with one name.
public struct ZipArchive: Sendable {
    /// The whole archive.
    public let bytes: ByteView
    /// The limits the archive was read with; ``contents(of:)`` applies them too.
    public let limits: ZipLimits
    /// Every central directory entry, in central directory order.
    public let entries: [ZipEntry]
    /// Non-fatal findings, in file order; at most `ZipLimits.maxIssuesPerCode` of each code.
    public let issues: [ZipError]
    /// How many times each code was found, counting the issues beyond `ZipLimits.maxIssuesPerCode` that
    /// ``issues`` does not keep.
    public let issueCounts: [ErrorCode: Int]
    /// The archive comment (Keras writes none).
    public let comment: [UInt8]
    /// Where the central directory starts in the file.
    public let centralDirectoryOffset: Int
    /// The size of the central directory in bytes.
    public let centralDirectorySize: Int
    /// Where the end of central directory record starts in the file.
    public let endRecordOffset: Int
    /// Whether the archive ends with a ZIP64 end record and locator.
    public let usesZip64EndRecord: Bool

    private let blockers: [ZipError?]
    private let indicesByName: [[UInt8]: [Int]]

    init(
        bytes: ByteView, limits: ZipLimits, entries: [ZipEntry], issues: [ZipError], issueCounts: [ErrorCode: Int],
        comment: [UInt8],
        blockers: [ZipError?], indicesByName: [[UInt8]: [Int]], centralDirectoryOffset: Int,
        centralDirectorySize: Int, endRecordOffset: Int, usesZip64EndRecord: Bool
    ) {
        self.bytes = bytes
        self.limits = limits
        self.entries = entries
        self.issues = issues
        self.issueCounts = issueCounts
        self.comment = comment
        self.blockers = blockers
        self.indicesByName = indicesByName
        self.centralDirectoryOffset = centralDirectoryOffset
        self.centralDirectorySize = centralDirectorySize
        self.endRecordOffset = endRecordOffset
        self.usesZip64EndRecord = usesZip64EndRecord
    }

    /// Reads the directory of the archive in `bytes` (an array copy or a memory-mapped file).
    ///
    /// Throws the first fatal problem; every non-fatal one is in ``issues``.
    public static func read(_ bytes: ByteView, limits: ZipLimits = ZipLimits()) throws(ZipError) -> ZipArchive {
        var reader = ZipReader(bytes: bytes, limits: limits)
        return try reader.read()
    }

    /// The entry Python's zipfile returns for `name`: the last central entry with that name (names compared
    /// by Unicode scalars, as Python compares strings), or nil.
    public func entry(named name: String) -> ZipEntry? {
        entries(named: name).last
    }

    /// Every central entry with `name`, in central directory order.
    public func entries(named name: String) -> [ZipEntry] {
        (indicesByName[ZipNameDecoding.key(name)] ?? []).map { entries[$0] }
    }

    /// The member's uncompressed data, verified against its declared CRC-32 and size.
    ///
    /// STORED data is a zero-copy slice of ``bytes``. DEFLATE data is inflated with the output capped at
    /// the declared size (itself within ``limits``), so a bomb costs at most the declared size. Throws the
    /// blocking issue (encryption, unsupported method, budget, name mismatch) before touching the data.
    /// `entry` must come from this archive's ``entries`` (anything else is a programming error and traps).
    public func contents(of entry: ZipEntry) throws(ZipError) -> ByteView {
        let data = try memberData(entry)
        if entry.method == ZipEntry.methodStored {
            try check(crc: CRC32.checksum(data), size: data.count, of: entry)
            return data
        }
        var output: [UInt8] = []
        output.reserveCapacity(min(entry.uncompressedSize, ZipArchive.initialReservation))
        var crc = CRC32()
        let produced = try inflate(data, of: entry) { piece in
            crc.update(piece)
            output.append(contentsOf: piece)
        }
        try check(crc: crc.value, size: produced, of: entry)
        return ByteView(copying: output)
    }

    /// Checks the member's CRC-32 and size without keeping its inflated data.
    public func verify(_ entry: ZipEntry) throws(ZipError) {
        let data = try memberData(entry)
        if entry.method == ZipEntry.methodStored {
            try check(crc: CRC32.checksum(data), size: data.count, of: entry)
            return
        }
        var crc = CRC32()
        let produced = try inflate(data, of: entry) { crc.update($0) }
        try check(crc: crc.value, size: produced, of: entry)
    }

    /// Every finding of the archive: ``issues`` followed by what ``verify(_:)`` throws for each entry whose
    /// blocking issue is not already listed.
    public func verifyAll() -> [ZipError] {
        var findings = issues
        for entry in entries {
            do throws(ZipError) {
                try verify(entry)
            } catch {
                if blockers[entry.index] == nil { findings.append(error) }
            }
        }
        return findings
    }

    /// The largest output buffer reserved up front; bigger members grow as they inflate.
    private static let initialReservation = 1 << 26

    private func memberData(_ entry: ZipEntry) throws(ZipError) -> ByteView {
        // APPNOTE 4.3.8: file data, `compressedSize` bytes after the local header.
        precondition(entries.indices.contains(entry.index) && entries[entry.index] == entry,
                     "ZipArchive: the entry does not belong to this archive")
        if let blocker = blockers[entry.index] { throw blocker }
        guard let data = bytes.slice(offset: entry.dataOffset, length: entry.compressedSize) else {
            throw ZipError(ZipError.Code.truncatedMemberData, "the member's data lies outside the file",
                           offset: entry.dataOffset, member: entry.name)
        }
        return data
    }

    private func inflate(
        _ data: ByteView, of entry: ZipEntry, sink: (UnsafeRawBufferPointer) -> Void
    ) throws(ZipError) -> Int {
        // RFC 1951 raw DEFLATE (zip method 8), output capped at the declared size.
        switch Inflate.stream(data, format: .raw, maxOutput: entry.uncompressedSize, sink: sink) {
        case .success(let produced):
            return produced
        case .failure(.outputLimitExceeded):
            throw ZipError(ZipError.Code.sizeMismatch,
                           "the DEFLATE stream inflates to more than the declared \(entry.uncompressedSize) bytes",
                           offset: entry.dataOffset, member: entry.name)
        case .failure(.corrupt(let message)):
            throw ZipError(ZipError.Code.corruptDeflateStream, "zlib: \(message)",
                           offset: entry.dataOffset, member: entry.name)
        case .failure(.truncated(let produced)):
            throw ZipError(ZipError.Code.corruptDeflateStream,
                           "the DEFLATE stream ends before its final block (after \(produced) bytes of output)",
                           offset: entry.dataOffset, member: entry.name)
        case .failure(.trailingInput(let count)):
            throw ZipError(ZipError.Code.corruptDeflateStream,
                           "\(count) bytes follow the end of the DEFLATE stream inside the member",
                           offset: entry.dataOffset, member: entry.name)
        }
    }

    private func check(crc: UInt32, size: Int, of entry: ZipEntry) throws(ZipError) {
        guard size == entry.uncompressedSize else {
            throw ZipError(ZipError.Code.sizeMismatch,
                           "the data has \(size) bytes, the header declares \(entry.uncompressedSize)",
                           offset: entry.dataOffset, member: entry.name)
        }
        guard crc == entry.crc32 else {
            throw ZipError(ZipError.Code.crcMismatch,
                           "CRC-32 of the data is 0x\(hex(crc)), the header declares 0x\(hex(entry.crc32))",
                           offset: entry.dataOffset, member: entry.name)
        }
    }
}
