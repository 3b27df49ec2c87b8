import KerasBytes

/// Parses the directory structure of an archive: end records, central directory, local headers and data
/// descriptors. Member data is never touched; ``ZipArchive`` reads it on demand.
///
/// Where Python's zipfile resolves an ambiguity (which end record, how offsets are re-based, which duplicate
/// name wins, which sizes are used), the reader resolves it the same way and records an issue.
struct ZipReader {
    private let bytes: ByteView
    private let limits: ZipLimits
    private var issues: [ZipError] = []
    private var issueCounts: [ErrorCode: Int] = [:]

    /// Where the end records and the central directory are.
    private struct Directory {
        var endRecordOffset = 0
        var centralDirectoryStart = 0
        var centralDirectoryEnd = 0
        var declaredEntriesOnDisk: UInt64 = 0
        var declaredEntries: UInt64 = 0
        var shift = 0
        var comment: [UInt8] = []
        var usesZip64EndRecord = false
    }

    /// What the local header of one entry says, after ZIP64 resolution.
    private struct ResolvedLocalHeader {
        var versionNeeded: UInt16
        var flags: UInt16
        var method: UInt16
        var time: UInt16
        var date: UInt16
        var crc32: UInt32
        var compressedSize: UInt64?
        var uncompressedSize: UInt64?
        var rawName: [UInt8]
        var extraIDs: [UInt16]
        var hasZip64: Bool
        var dataOffset: Int
    }

    /// The byte range one member occupies: local header, data and data descriptor.
    private struct Span {
        var start: Int
        var end: Int
        var index: Int
    }

    init(bytes: ByteView, limits: ZipLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    // MARK: Whole archive

    /// Reads the directory of the archive.
    mutating func read() throws(ZipError) -> ZipArchive {
        // APPNOTE 4.3.6: [local header, data, descriptor]* central directory [zip64 end, locator] end record.
        let directory = try readEndRecords()
        let declared = max(directory.declaredEntries, directory.declaredEntriesOnDisk)
        guard declared <= UInt64(max(0, limits.maxMembers)) else {
            throw ZipError(ZipError.Code.tooManyMembers,
                           "the end record declares \(declared) entries, more than the limit of \(limits.maxMembers)",
                           offset: directory.endRecordOffset)
        }
        var entries: [ZipEntry] = []
        var blockers: [ZipError?] = []
        var spans: [Span] = []
        var cursor = directory.centralDirectoryStart
        var totalDeclared = 0
        var totalExceeded = false
        while cursor < directory.centralDirectoryEnd {
            guard entries.count < limits.maxMembers else {
                throw ZipError(ZipError.Code.tooManyMembers,
                               "more than \(limits.maxMembers) central directory entries", offset: cursor)
            }
            let (entry, span, entryBlocker, next) = try readEntry(
                at: cursor, index: entries.count, directory: directory)
            var blocker = entryBlocker
            if blocker == nil {
                if !totalExceeded, let sum = Checked.add(totalDeclared, entry.uncompressedSize),
                   sum <= limits.maxTotalUncompressedSize {
                    totalDeclared = sum
                } else {
                    if !totalExceeded {
                        report(ZipError.Code.totalSizeTooLarge,
                               "declared uncompressed sizes pass the total limit of \(limits.maxTotalUncompressedSize) bytes at this member; it and every later member are refused",
                               offset: cursor, member: entry.name)
                    }
                    totalExceeded = true
                    blocker = ZipError(ZipError.Code.totalSizeTooLarge,
                                       "the archive's declared sizes exceed the total limit of \(limits.maxTotalUncompressedSize) bytes",
                                       offset: entry.localHeaderOffset, member: entry.name)
                }
            }
            entries.append(entry)
            blockers.append(blocker)
            spans.append(span)
            cursor = next
        }
        checkEntryCounts(entries.count, directory: directory)
        let indicesByName = checkDuplicateNames(entries, directory: directory)
        checkLayout(spans, entries: entries, directory: directory)
        let ordered = issues.enumerated().sorted { lhs, rhs in
            let left = lhs.element.offset ?? Int.max, right = rhs.element.offset ?? Int.max
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
        return ZipArchive(
            bytes: bytes, limits: limits, entries: entries, issues: ordered, issueCounts: issueCounts,
            comment: directory.comment,
            blockers: blockers, indicesByName: indicesByName,
            centralDirectoryOffset: directory.centralDirectoryStart,
            centralDirectorySize: directory.centralDirectoryEnd - directory.centralDirectoryStart,
            endRecordOffset: directory.endRecordOffset, usesZip64EndRecord: directory.usesZip64EndRecord)
    }

    private mutating func report(_ code: ErrorCode, _ reason: String, offset: Int?, member: String? = nil) {
        record(ZipError(code, reason, offset: offset, member: member))
    }

    /// Counts `issue` and keeps it unless its code already has `ZipLimits.maxIssuesPerCode` kept issues.
    private mutating func record(_ issue: ZipError) {
        let count = issueCounts[issue.code, default: 0] + 1
        issueCounts[issue.code] = count
        if count <= limits.maxIssuesPerCode { issues.append(issue) }
    }

    // MARK: End records

    /// Finds the end of central directory record the way Python's `_EndRecData` does.
    private func findEndRecord() throws(ZipError) -> (offset: Int, record: ZipEndRecord) {
        // APPNOTE 4.3.16; CPython zipfile._EndRecData: the record at the very end with an empty comment,
        // else the LAST signature in the searched tail.
        let count = bytes.count
        let size = ZipEndRecord.size
        if let last = ZipEndRecord(bytes, at: count - size), last.signature == ZipFormat.endRecordSignature,
           last.commentLength == 0 {
            return (count - size, last)
        }
        let window = max(0, min(limits.maxEndOfCentralDirectorySearch, count))
        let lowest = count - window
        let signature = withUnsafeBytes(of: ZipFormat.endRecordSignature.littleEndian, Array.init)
        let found: Int? = bytes.withUnsafeBytes { raw -> Int? in
            var position = count - signature.count
            while position >= lowest {
                if raw[position] == signature[0], raw[position + 1] == signature[1],
                   raw[position + 2] == signature[2], raw[position + 3] == signature[3] {
                    return position
                }
                position -= 1
            }
            return nil
        }
        guard let found else {
            throw ZipError(ZipError.Code.endOfCentralDirectoryNotFound,
                           "no end of central directory signature in the last \(window) bytes", offset: lowest)
        }
        guard let record = ZipEndRecord(bytes, at: found) else {
            throw ZipError(ZipError.Code.truncatedEndRecord,
                           "the end of central directory record needs \(size) bytes, \(count - found) remain",
                           offset: found)
        }
        return (found, record)
    }

    /// Reads the end record, the ZIP64 locator and end record, and places the central directory.
    private mutating func readEndRecords() throws(ZipError) -> Directory {
        // APPNOTE 4.3.14-4.3.16; CPython zipfile._EndRecData64 and _RealGetContents (the "concat" re-basing).
        var directory = Directory()
        let (end, record) = try findEndRecord()
        directory.endRecordOffset = end
        guard record.diskNumber == 0, record.directoryDisk == 0 else {
            throw ZipError(ZipError.Code.multiDisk,
                           "end record says disk \(record.diskNumber), central directory on disk \(record.directoryDisk)",
                           offset: end)
        }
        let commentStart = end + ZipEndRecord.size
        let available = bytes.count - commentStart
        let commentLength = Int(record.commentLength)
        if commentLength > available {
            report(ZipError.Code.commentOverrun,
                   "comment length \(commentLength) but only \(available) bytes follow the end record", offset: end)
            directory.comment = bytes.slice(offset: commentStart, length: available)?.bytes ?? []
        } else {
            directory.comment = bytes.slice(offset: commentStart, length: commentLength)?.bytes ?? []
            if available > commentLength {
                report(ZipError.Code.appendedData,
                       "\(available - commentLength) bytes follow the end of central directory record and its comment",
                       offset: commentStart + commentLength)
            }
        }
        directory.declaredEntriesOnDisk = UInt64(record.entriesOnDisk)
        directory.declaredEntries = UInt64(record.entries)
        var size = UInt64(record.directorySize), offset = UInt64(record.directoryOffset)
        directory.centralDirectoryEnd = end
        let locatorOffset = end - ZipZip64Locator.size
        var locator: ZipZip64Locator?
        if let found = ZipZip64Locator(bytes, at: locatorOffset), found.signature == ZipFormat.zip64LocatorSignature {
            locator = found
            guard found.recordDisk == 0, found.diskCount <= 1 else {
                throw ZipError(ZipError.Code.multiDisk,
                               "ZIP64 locator says disk \(found.recordDisk) of \(found.diskCount)", offset: locatorOffset)
            }
            let recordOffset = locatorOffset - ZipZip64EndRecord.size
            guard let zip64 = ZipZip64EndRecord(bytes, at: recordOffset) else {
                throw ZipError(ZipError.Code.truncatedZip64EndRecord,
                               "a ZIP64 locator is present but the \(ZipZip64EndRecord.size)-byte ZIP64 end record does not fit before it",
                               offset: locatorOffset)
            }
            guard zip64.signature == ZipFormat.zip64EndRecordSignature else {
                throw ZipError(ZipError.Code.badSignature,
                               "no ZIP64 end of central directory signature before the ZIP64 locator", offset: recordOffset)
            }
            guard zip64.diskNumber == 0, zip64.directoryDisk == 0 else {
                throw ZipError(ZipError.Code.multiDisk,
                               "ZIP64 end record says disk \(zip64.diskNumber), central directory on disk \(zip64.directoryDisk)",
                               offset: recordOffset)
            }
            compare(record, with: zip64, at: recordOffset)
            directory.declaredEntriesOnDisk = zip64.entriesOnDisk
            directory.declaredEntries = zip64.entries
            size = zip64.directorySize
            offset = zip64.directoryOffset
            directory.centralDirectoryEnd = recordOffset
            directory.usesZip64EndRecord = true
        }
        guard let directorySize = Int(exactly: size), directorySize <= directory.centralDirectoryEnd,
              let declaredOffset = Int(exactly: offset) else {
            throw ZipError(ZipError.Code.centralDirectoryOutOfRange,
                           "a central directory of \(size) bytes at offset \(offset) does not fit before byte \(directory.centralDirectoryEnd)",
                           offset: end)
        }
        directory.centralDirectoryStart = directory.centralDirectoryEnd - directorySize
        directory.shift = directory.centralDirectoryStart - declaredOffset
        if directory.shift != 0 {
            report(ZipError.Code.offsetsShifted,
                   "the central directory starts at byte \(directory.centralDirectoryStart) but is declared at \(declaredOffset); every offset is shifted by \(directory.shift), as Python does",
                   offset: directory.centralDirectoryStart)
        }
        if let locator {
            let expected = Checked.subtract(directory.centralDirectoryEnd, directory.shift)
            if expected.map({ UInt64(exactly: $0) != locator.recordOffset }) ?? true {
                report(ZipError.Code.zip64EndRecordMismatch,
                       "the ZIP64 locator points to byte \(locator.recordOffset), the ZIP64 end record is at byte \(directory.centralDirectoryEnd)",
                       offset: locatorOffset)
            }
        }
        return directory
    }

    /// Reports where the ZIP64 end record disagrees with itself or with the classic end record.
    private mutating func compare(_ record: ZipEndRecord, with zip64: ZipZip64EndRecord, at offset: Int) {
        // APPNOTE 4.4.1.4: a classic field holds either its sentinel or the same value as the ZIP64 field.
        var disagreements: [String] = []
        if zip64.remainingSize != ZipZip64EndRecord.remainingSize {
            disagreements.append("record size \(zip64.remainingSize) (expected \(ZipZip64EndRecord.remainingSize))")
        }
        if record.entriesOnDisk != ZipFormat.sentinel16, UInt64(record.entriesOnDisk) != zip64.entriesOnDisk {
            disagreements.append("entries on disk \(record.entriesOnDisk) vs \(zip64.entriesOnDisk)")
        }
        if record.entries != ZipFormat.sentinel16, UInt64(record.entries) != zip64.entries {
            disagreements.append("entries \(record.entries) vs \(zip64.entries)")
        }
        if record.directorySize != ZipFormat.sentinel32, UInt64(record.directorySize) != zip64.directorySize {
            disagreements.append("directory size \(record.directorySize) vs \(zip64.directorySize)")
        }
        if record.directoryOffset != ZipFormat.sentinel32, UInt64(record.directoryOffset) != zip64.directoryOffset {
            disagreements.append("directory offset \(record.directoryOffset) vs \(zip64.directoryOffset)")
        }
        if !disagreements.isEmpty {
            report(ZipError.Code.zip64EndRecordMismatch,
                   "the ZIP64 end record disagrees: " + disagreements.joined(separator: ", ")
                       + "; its values are used, as Python does", offset: offset)
        }
    }

    // MARK: Entries

    /// Reads the central directory header at `offset`, its local header and data descriptor.
    private mutating func readEntry(
        at offset: Int, index: Int, directory: Directory
    ) throws(ZipError) -> (ZipEntry, Span, ZipError?, Int) {
        // APPNOTE 4.3.12 (central directory header), 4.4 (fields); CPython zipfile._RealGetContents.
        let limit = directory.centralDirectoryEnd
        guard limit - offset >= ZipCentralHeader.fixedSize, let header = ZipCentralHeader(bytes, at: offset) else {
            throw ZipError(ZipError.Code.truncatedCentralDirectory,
                           "a central directory header needs \(ZipCentralHeader.fixedSize) bytes, \(limit - offset) remain in the directory",
                           offset: offset)
        }
        guard header.signature == ZipFormat.centralHeaderSignature else {
            throw ZipError(ZipError.Code.badSignature, "no central directory header signature", offset: offset)
        }
        let next = offset + header.totalSize
        guard next <= limit else {
            throw ZipError(ZipError.Code.truncatedCentralDirectory,
                           "the header's name, extra field and comment (\(header.totalSize - ZipCentralHeader.fixedSize) bytes) run past the central directory",
                           offset: offset)
        }
        guard header.diskStart == 0 else {
            throw ZipError(ZipError.Code.multiDisk, "the entry starts on disk \(header.diskStart)", offset: offset)
        }
        let nameStart = offset + ZipCentralHeader.fixedSize
        let rawName = bytes.slice(offset: nameStart, length: header.nameLength)?.bytes ?? []
        let decoded = ZipNameDecoding.decode(rawName, utf8: header.flags & ZipEntry.flagUTF8 != 0)
        let name = ZipNameDecoding.truncatedAtNUL(decoded.name)

        let extraOffset = nameStart + header.nameLength
        let extras = ZipExtraFields(bytes.slice(offset: extraOffset, length: header.extraLength) ?? .empty,
                                    maxFields: limits.maxExtraFieldsPerEntry)
        if extras.tooMany {
            throw ZipError(ZipError.Code.tooManyExtraFields,
                           "more than \(limits.maxExtraFieldsPerEntry) extra fields", offset: extraOffset, member: name)
        }
        if let overrun = extras.overrun {
            throw ZipError(ZipError.Code.malformedExtraField,
                           "extra field 0x\(hex(overrun.id)) declares \(overrun.length) bytes, more than its block holds",
                           offset: extraOffset + overrun.offset, member: name)
        }
        reportExtraAnomalies(extras, offset: extraOffset, member: name, where: "central")

        var uncompressed = UInt64(header.uncompressedSize), compressed = UInt64(header.compressedSize)
        var localOffset = UInt64(header.localHeaderOffset)
        let needUncompressed = header.uncompressedSize == ZipFormat.sentinel32
        let needCompressed = header.compressedSize == ZipFormat.sentinel32
        let needOffset = header.localHeaderOffset == ZipFormat.sentinel32
        let zip64Field = extras.first(ZipFormat.zip64ExtraFieldID)
        if let zip64Field, needUncompressed || needCompressed || needOffset {
            guard let values = ZipExtraFields.zip64Values(
                zip64Field.data, needUncompressed: needUncompressed, needCompressed: needCompressed,
                needOffset: needOffset) else {
                throw ZipError(ZipError.Code.malformedExtraField,
                               "the ZIP64 extra field (\(zip64Field.data.count) bytes) lacks a value the header defers to it",
                               offset: extraOffset, member: name)
            }
            uncompressed = values.uncompressedSize ?? uncompressed
            compressed = values.compressedSize ?? compressed
            localOffset = values.localHeaderOffset ?? localOffset
        }

        guard let declaredLocal = Int(exactly: localOffset),
              let headerOffset = Checked.add(declaredLocal, directory.shift),
              let localHeader = ZipLocalHeader(bytes, at: headerOffset) else {
            throw ZipError(ZipError.Code.truncatedLocalHeader,
                           "the local header at declared offset \(localOffset) (shifted by \(directory.shift)) does not fit in the file",
                           offset: offset, member: name)
        }
        let local = try readLocalHeader(localHeader, at: headerOffset, member: name)
        guard let compressedSize = Int(exactly: compressed),
              Checked.rangeFits(offset: local.dataOffset, length: compressedSize, within: bytes.count) else {
            throw ZipError(ZipError.Code.truncatedMemberData,
                           "\(compressed) bytes of data from byte \(local.dataOffset) run past the end of the file (\(bytes.count) bytes)",
                           offset: local.dataOffset, member: name)
        }
        let dataEnd = local.dataOffset + compressedSize

        let entry = ZipEntry(
            name: name, rawName: rawName, index: index, method: header.method, flags: header.flags,
            crc32: header.crc32, compressedSize: compressedSize, uncompressedSize: Int(exactly: uncompressed) ?? Int.max,
            localHeaderOffset: headerOffset, dataOffset: local.dataOffset,
            modified: DOSDateTime(date: header.date, time: header.time), versionMadeBy: header.versionMadeBy,
            versionNeeded: header.versionNeeded, externalAttributes: header.externalAttributes,
            extraFieldIDs: extras.ids, localExtraFieldIDs: local.extraIDs, usesZip64: zip64Field != nil || local.hasZip64)

        let blocker = compareLocal(local, with: entry, centralName: decoded.name, uncompressed: uncompressed)
        var descriptorLength = 0
        if entry.hasDataDescriptor {
            descriptorLength = readDataDescriptor(at: dataEnd, entry: entry, localZip64: local.hasZip64)
        }
        checkName(entry, decoded: decoded, offset: offset)
        let policyBlocker = checkMember(entry, declaredUncompressed: uncompressed, offset: offset)
        if entry.versionNeeded & 0xFF > ZipFormat.maxPythonExtractVersion {
            report(ZipError.Code.versionNeededTooHigh,
                   "version needed \(entry.versionNeeded & 0xFF) is above \(ZipFormat.maxPythonExtractVersion); Python's zipfile refuses the archive",
                   offset: offset, member: name)
        }
        if !entry.modified.isValid {
            report(ZipError.Code.invalidTimestamp, "DOS date/time \(entry.modified) is not a valid time",
                   offset: offset, member: name)
        }
        let span = Span(start: headerOffset, end: dataEnd + descriptorLength, index: index)
        return (entry, span, blocker ?? policyBlocker, next)
    }

    private mutating func reportExtraAnomalies(_ extras: ZipExtraFields, offset: Int, member: String, where header: String) {
        if extras.trailingBytes > 0 {
            report(ZipError.Code.extraFieldTrailingBytes,
                   "\(extras.trailingBytes) bytes after the last \(header) extra field are too few for a field header",
                   offset: offset, member: member)
        }
        if !extras.duplicateIDs.isEmpty {
            report(ZipError.Code.duplicateExtraField,
                   "\(header) extra field ids appear more than once: "
                       + extras.duplicateIDs.map { "0x" + hex($0) }.joined(separator: ", ") + "; the first is used",
                   offset: offset, member: member)
        }
    }

    /// Reads the name and extra field after the local header `header` at `offset`, resolving ZIP64 sizes.
    private mutating func readLocalHeader(
        _ header: ZipLocalHeader, at offset: Int, member: String
    ) throws(ZipError) -> ResolvedLocalHeader {
        // APPNOTE 4.3.7 (local file header), 4.5.3 (ZIP64 sizes in the local header).
        guard header.signature == ZipFormat.localHeaderSignature else {
            throw ZipError(ZipError.Code.badSignature, "no local header signature", offset: offset, member: member)
        }
        let nameStart = offset + ZipLocalHeader.fixedSize
        guard Checked.rangeFits(offset: nameStart, length: header.nameLength + header.extraLength, within: bytes.count) else {
            throw ZipError(ZipError.Code.truncatedLocalHeader,
                           "the local header's name and extra field (\(header.nameLength + header.extraLength) bytes) run past the end of the file",
                           offset: offset, member: member)
        }
        let extraOffset = nameStart + header.nameLength
        let extras = ZipExtraFields(bytes.slice(offset: extraOffset, length: header.extraLength) ?? .empty,
                                    maxFields: limits.maxExtraFieldsPerEntry)
        if extras.tooMany {
            throw ZipError(ZipError.Code.tooManyExtraFields,
                           "more than \(limits.maxExtraFieldsPerEntry) local extra fields", offset: extraOffset, member: member)
        }
        if let overrun = extras.overrun {
            report(ZipError.Code.malformedLocalExtraField,
                   "local extra field 0x\(hex(overrun.id)) declares \(overrun.length) bytes, more than its block holds",
                   offset: extraOffset + overrun.offset, member: member)
        }
        reportExtraAnomalies(extras, offset: extraOffset, member: member, where: "local")
        var compressed: UInt64? = UInt64(header.compressedSize), uncompressed: UInt64? = UInt64(header.uncompressedSize)
        let zip64Field = extras.first(ZipFormat.zip64ExtraFieldID)
        let needUncompressed = header.uncompressedSize == ZipFormat.sentinel32
        let needCompressed = header.compressedSize == ZipFormat.sentinel32
        if let zip64Field, needUncompressed || needCompressed {
            if let values = ZipExtraFields.zip64Values(
                zip64Field.data, needUncompressed: needUncompressed, needCompressed: needCompressed, needOffset: false) {
                uncompressed = values.uncompressedSize ?? uncompressed
                compressed = values.compressedSize ?? compressed
            } else {
                report(ZipError.Code.malformedLocalExtraField,
                       "the local ZIP64 extra field (\(zip64Field.data.count) bytes) lacks a size the header defers to it",
                       offset: extraOffset, member: member)
                uncompressed = nil
                compressed = nil
            }
        }
        return ResolvedLocalHeader(
            versionNeeded: header.versionNeeded, flags: header.flags, method: header.method, time: header.time,
            date: header.date, crc32: header.crc32, compressedSize: compressed, uncompressedSize: uncompressed,
            rawName: bytes.slice(offset: nameStart, length: header.nameLength)?.bytes ?? [], extraIDs: extras.ids,
            hasZip64: zip64Field != nil, dataOffset: extraOffset + header.extraLength)
    }

    /// Cross-checks a local header against its central entry; returns the error that blocks reading, if any.
    private mutating func compareLocal(
        _ local: ResolvedLocalHeader, with entry: ZipEntry, centralName: String, uncompressed: UInt64
    ) -> ZipError? {
        // APPNOTE 4.4 (local and central fields must agree; 4.4.4 bit 3 zeroes CRC and sizes locally);
        // CPython ZipFile.open compares the decoded names and uses the central values for the rest.
        let localDecoded = ZipNameDecoding.decode(local.rawName, utf8: local.flags & ZipEntry.flagUTF8 != 0).name
        var blocker: ZipError?
        var differences: [String] = []
        if !localDecoded.unicodeScalars.elementsEqual(centralName.unicodeScalars) {
            let error = ZipError(ZipError.Code.localNameMismatch,
                                 "the local header names '\(localDecoded)'; Python's zipfile refuses to read this member",
                                 offset: entry.localHeaderOffset, member: entry.name)
            record(error)
            blocker = error
        } else if local.rawName != entry.rawName {
            differences.append("name bytes (same name in another encoding)")
        }
        if local.versionNeeded != entry.versionNeeded {
            differences.append("version needed \(local.versionNeeded) vs \(entry.versionNeeded)")
        }
        if local.flags != entry.flags { differences.append("flags 0x\(hex(local.flags)) vs 0x\(hex(entry.flags))") }
        if local.method != entry.method { differences.append("method \(local.method) vs \(entry.method)") }
        if local.time != entry.modified.time || local.date != entry.modified.date {
            differences.append("time \(DOSDateTime(date: local.date, time: local.time)) vs \(entry.modified)")
        }
        let deferred = entry.hasDataDescriptor
        func agrees(_ localValue: UInt64, _ centralValue: UInt64) -> Bool {
            localValue == centralValue || (deferred && localValue == 0)
        }
        if !agrees(UInt64(local.crc32), UInt64(entry.crc32)) {
            differences.append("CRC-32 0x\(hex(local.crc32)) vs 0x\(hex(entry.crc32))")
        }
        if let localCompressed = local.compressedSize, !agrees(localCompressed, UInt64(entry.compressedSize)) {
            differences.append("compressed size \(localCompressed) vs \(entry.compressedSize)")
        }
        if let localUncompressed = local.uncompressedSize, !agrees(localUncompressed, uncompressed) {
            differences.append("uncompressed size \(localUncompressed) vs \(uncompressed)")
        }
        if !differences.isEmpty {
            report(ZipError.Code.localHeaderMismatch,
                   "local header vs central directory: " + differences.joined(separator: "; ")
                       + "; the central values are used, as Python does",
                   offset: entry.localHeaderOffset, member: entry.name)
        }
        return blocker
    }

    /// Reads the data descriptor after a flag-bit-3 member; returns its length (0 when not found).
    private mutating func readDataDescriptor(at offset: Int, entry: ZipEntry, localZip64: Bool) -> Int {
        // APPNOTE 4.3.9: [signature] CRC-32, compressed size, uncompressed size (8 bytes each with ZIP64).
        let preferred = localZip64 ? ZipFormat.descriptorWideWidth : ZipFormat.descriptorNarrowWidth
        let other = localZip64 ? ZipFormat.descriptorNarrowWidth : ZipFormat.descriptorWideWidth
        let signatureSize = ZipFormat.signatureSize
        let hasSignature = bytes.loadLittleEndian(UInt32.self, at: offset) == ZipFormat.dataDescriptorSignature
        func length(signed: Bool, width: Int) -> Int { (signed ? signatureSize : 0) + signatureSize + 2 * width }
        for width in [preferred, other] {
            for signed in hasSignature ? [true, false] : [false] {
                guard bytes.count - offset >= length(signed: signed, width: width) else { continue }
                var cursor = ByteCursor(bytes, offset: signed ? offset + signatureSize : offset)
                let crc = cursor.readLittleEndian(UInt32.self)
                let compressed = cursor.readLittleEndian(width: width)
                let uncompressed = cursor.readLittleEndian(width: width)
                if crc == entry.crc32, compressed == UInt64(exactly: entry.compressedSize),
                   uncompressed == UInt64(exactly: entry.uncompressedSize) {
                    return length(signed: signed, width: width)
                }
            }
        }
        guard hasSignature else {
            report(ZipError.Code.dataDescriptorMismatch,
                   "flag bit 3 is set but no data descriptor matching the central directory follows the data",
                   offset: offset, member: entry.name)
            return 0
        }
        let expected = length(signed: true, width: preferred)
        let fits = bytes.count - offset >= expected
        report(ZipError.Code.dataDescriptorMismatch,
               fits ? "the data descriptor disagrees with the central directory (CRC or sizes)"
                    : "the data descriptor is cut short by the end of the file",
               offset: offset, member: entry.name)
        return fits ? expected : bytes.count - offset
    }

    /// Reports name anomalies: encoding, length, traversal and the other policy checks.
    private mutating func checkName(_ entry: ZipEntry, decoded: (name: String, valid: Bool), offset: Int) {
        // APPNOTE 4.4.17 (file name: relative, forward slashes, no drive letter); THREATS.md C3.
        let nameOffset = offset + ZipCentralHeader.fixedSize
        let scalars = Array(decoded.name.unicodeScalars)
        if !decoded.valid {
            report(ZipError.Code.invalidUTF8Name,
                   "the name is flagged UTF-8 but is not valid UTF-8; Python's zipfile refuses the archive",
                   offset: nameOffset, member: entry.name)
        }
        if entry.rawName.count > limits.maxNameLength {
            report(ZipError.Code.nameTooLong,
                   "the name has \(entry.rawName.count) bytes, more than \(limits.maxNameLength)",
                   offset: nameOffset, member: entry.name)
        }
        if scalars.isEmpty {
            report(ZipError.Code.emptyName, "the member has an empty name", offset: nameOffset, member: entry.name)
        }
        if scalars.contains("\0") {
            report(ZipError.Code.nulInName,
                   "the name contains NUL; Python's zipfile cuts it to '\(entry.name)'",
                   offset: nameOffset, member: entry.name)
        }
        let isDriveLetter = scalars.count >= 2 && scalars[1] == ":"
            && (("a"..."z").contains(scalars[0]) || ("A"..."Z").contains(scalars[0]))
        if scalars.first == "/" || scalars.first == "\\" || isDriveLetter {
            report(ZipError.Code.absolutePath, "the name is an absolute path", offset: nameOffset, member: entry.name)
        }
        let components = scalars.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }
        if components.contains(where: { $0.elementsEqual([".", "."]) }) {
            report(ZipError.Code.parentDirectoryComponent,
                   "the name has a '..' component and can escape the extraction directory",
                   offset: nameOffset, member: entry.name)
        }
        if scalars.contains("\\") {
            report(ZipError.Code.backslashInName, "the name contains a backslash", offset: nameOffset, member: entry.name)
        }
        if entry.isSymlink {
            report(ZipError.Code.symlinkEntry,
                   "external attributes 0x\(hex(entry.externalAttributes)) mark a symbolic link",
                   offset: offset, member: entry.name)
        }
    }

    /// Reports method, encryption and size-budget problems; returns the error that blocks reading, if any.
    private mutating func checkMember(_ entry: ZipEntry, declaredUncompressed: UInt64, offset: Int) -> ZipError? {
        // APPNOTE 4.4.4 (flags), 4.4.5 (methods); FORMAT.md section 9 (Keras's bomb rule); THREATS.md C1.
        var blocker: ZipError?
        func block(_ code: ErrorCode, _ reason: String) {
            let error = ZipError(code, reason, offset: offset, member: entry.name)
            record(error)
            if blocker == nil { blocker = error }
        }
        if entry.isEncrypted {
            block(ZipError.Code.encryptedMember, "flags 0x\(hex(entry.flags)) mark the member as encrypted")
        }
        if entry.method != ZipEntry.methodStored && entry.method != ZipEntry.methodDeflate {
            block(ZipError.Code.unsupportedMethod, "compression method \(entry.method) is not STORED (0) or DEFLATE (8)")
        } else if entry.flags & ZipEntry.flagPatchedData != 0 {
            block(ZipError.Code.unsupportedMethod, "flag bit 5 marks compressed patched data")
        }
        if entry.method == ZipEntry.methodStored, UInt64(entry.compressedSize) != declaredUncompressed {
            block(ZipError.Code.storedSizeMismatch,
                  "a STORED member declares \(entry.compressedSize) bytes stored but \(declaredUncompressed) uncompressed")
        }
        let tooLarge = declaredUncompressed > UInt64(max(0, limits.maxMemberUncompressedSize))
        if tooLarge {
            block(ZipError.Code.memberTooLarge,
                  "declares \(declaredUncompressed) uncompressed bytes, more than the limit of \(limits.maxMemberUncompressedSize)")
        }
        let ratioBound = Checked.multiply(entry.compressedSize, max(0, limits.maxExpansionRatio)) ?? Int.max
        if !tooLarge, entry.uncompressedSize > limits.expansionRatioFloor, entry.uncompressedSize > ratioBound {
            block(ZipError.Code.expansionRatioExceeded,
                  "declares \(entry.uncompressedSize) bytes from \(entry.compressedSize) stored, more than \(limits.maxExpansionRatio) times")
        }
        return blocker
    }

    // MARK: Archive-wide checks

    private mutating func checkEntryCounts(_ count: Int, directory: Directory) {
        // APPNOTE 4.4.21-4.4.22 (total entries on this disk, total entries).
        let parsed = UInt64(count)
        if directory.declaredEntries != parsed || directory.declaredEntriesOnDisk != parsed {
            report(ZipError.Code.entryCountMismatch,
                   "the end record counts \(directory.declaredEntries) entries (\(directory.declaredEntriesOnDisk) on this disk) but the central directory holds \(count)",
                   offset: directory.endRecordOffset)
        }
    }

    private mutating func checkDuplicateNames(_ entries: [ZipEntry], directory: Directory) -> [[UInt8]: [Int]] {
        // CPython zipfile: NameToInfo[filename] = info, so the last central entry of a name wins.
        var indicesByName: [[UInt8]: [Int]] = [:]
        var order: [[UInt8]] = []
        for entry in entries {
            let key = ZipNameDecoding.key(entry.name)
            if indicesByName[key] == nil { order.append(key) }
            indicesByName[key, default: []].append(entry.index)
        }
        for key in order {
            guard let indices = indicesByName[key], indices.count > 1, let last = indices.last else { continue }
            let entry = entries[last]
            report(ZipError.Code.duplicateName,
                   "\(indices.count) central entries (indices \(indices.map(String.init).joined(separator: ", "))) have this name; Python's zipfile and Keras read the last one (index \(last))",
                   offset: entry.localHeaderOffset, member: entry.name)
        }
        return indicesByName
    }

    private mutating func checkLayout(_ spans: [Span], entries: [ZipEntry], directory: Directory) {
        // APPNOTE 4.3.6: members follow each other, then the central directory; every byte accounted for.
        let directoryStart = directory.centralDirectoryStart
        let sorted = spans.sorted { ($0.start, $0.index) < ($1.start, $1.index) }
        var cursor = 0
        var owner: Span?
        for span in sorted {
            if span.end > directoryStart {
                let placement = span.start >= directoryStart ? "lies inside or after" : "runs into"
                report(ZipError.Code.overlappingEntries,
                       "the member (bytes \(span.start)..<\(span.end)) \(placement) the central directory at byte \(directoryStart)",
                       offset: span.start, member: entries[span.index].name)
            }
            guard span.start < directoryStart else { continue }
            if span.start > cursor {
                if owner == nil {
                    report(ZipError.Code.prependedData, "\(span.start) bytes precede the first member", offset: 0)
                } else {
                    report(ZipError.Code.gapBetweenMembers,
                           "\(span.start - cursor) unaccounted bytes between members", offset: cursor)
                }
            } else if let previous = owner, span.start < cursor {
                report(ZipError.Code.overlappingEntries,
                       "the member (bytes \(span.start)..<\(span.end)) overlaps '\(entries[previous.index].name)' (bytes \(previous.start)..<\(previous.end))",
                       offset: span.start, member: entries[span.index].name)
            }
            if span.end > cursor {
                cursor = span.end
                owner = span
            }
        }
        if cursor < directoryStart {
            if owner == nil {
                report(ZipError.Code.prependedData,
                       "\(directoryStart) bytes precede the central directory of an archive without members", offset: 0)
            } else {
                report(ZipError.Code.gapBeforeCentralDirectory,
                       "\(directoryStart - cursor) unaccounted bytes between the last member and the central directory",
                       offset: cursor)
            }
        }
    }
}
