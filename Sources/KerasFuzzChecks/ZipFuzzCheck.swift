import KerasBytes
import KerasZip

/// FuzzZip: bytes into `ZipArchive.read`.
///
/// Properties of an archive the reader accepts:
/// - every entry's ``ZipArchive/contents(of:)`` and ``ZipArchive/verify(_:)`` agree (both succeed, or both
///   fail with the same code), and extracted data has the declared size;
/// - every entry is found again by ``ZipArchive/entry(named:)``; ``ZipArchive/verifyAll()`` lists at least
///   the issues;
/// - the members Python's zipfile would extract (the last entry of each name, data readable, name without
///   NUL) written again through `ZipWriter` read back with the same names, in order, and the same data.
enum ZipFuzzCheck {
    /// Option bit 0: the tight budgets of ``FuzzLimits/zip(tight:)``.
    static let tightLimits: UInt8 = 1 << 0
    /// Every option bit defined so far.
    static let definedOptions: UInt8 = tightLimits

    static func run(_ input: FuzzInput) throws(FuzzViolation) -> FuzzOutcome {
        let limits = FuzzLimits.zip(tight: input.has(tightLimits))
        let archive: ZipArchive
        do throws(ZipError) {
            archive = try ZipArchive.read(input.body, limits: limits)
        } catch {
            return .rejected(error.code.ruleID)
        }
        var extracted: [(entry: ZipEntry, data: ByteView)] = []
        for entry in archive.entries {
            let contents = Result { () throws(ZipError) -> ByteView in try archive.contents(of: entry) }
            let verified = Result { () throws(ZipError) in try archive.verify(entry) }
            switch (contents, verified) {
            case (.success(let data), .success):
                guard data.count == entry.uncompressedSize else {
                    throw violation("extracted size", "\(entry.name): \(data.count) bytes, \(entry.uncompressedSize) declared")
                }
                extracted.append((entry, data))
            case (.failure(let first), .failure(let second)) where first.code == second.code:
                break
            default:
                throw violation("contents(of:) and verify(_:) agree", "\(entry.name): \(contents) versus \(verified)")
            }
            guard archive.entry(named: entry.name) != nil else {
                throw violation("every entry is found by name", entry.name)
            }
        }
        guard archive.verifyAll().count >= archive.issues.count else {
            throw violation("verifyAll lists every issue", "\(archive.issues.count) issues")
        }
        try rewrite(extracted.filter { archive.entry(named: $0.entry.name) == $0.entry && !$0.entry.name.unicodeScalars.contains("\0") },
                    limits: limits)
        return .accepted
    }

    /// Writes `members` through `ZipWriter` and reads them back.
    private static func rewrite(_ members: [(entry: ZipEntry, data: ByteView)], limits: ZipLimits) throws(FuzzViolation) {
        var writer = ZipWriter()
        for member in members { writer.addFile(name: member.entry.name, contents: member.data) }
        let bytes: [UInt8]
        do throws(ZipWriteError) { bytes = try writer.archiveBytes() } catch {
            throw violation("ZipWriter writes what the reader read", error.description)
        }
        let reread: ZipArchive
        do throws(ZipError) { reread = try ZipArchive.read(ByteView(copying: bytes), limits: limits) } catch {
            throw violation("the rewritten archive reads", error.reason)
        }
        let names = reread.entries.map { Array($0.name.unicodeScalars) }
        guard names == members.map({ Array($0.entry.name.unicodeScalars) }) else {
            throw violation("the rewritten archive has the same names", "\(reread.entries.map(\.name)) versus \(members.map(\.entry.name))")
        }
        for (entry, member) in zip(reread.entries, members) {
            let data: ByteView
            do throws(ZipError) { data = try reread.contents(of: entry) } catch {
                throw violation("the rewritten members extract", "\(entry.name): \(error.reason)")
            }
            guard data == member.data else {
                throw violation("the rewritten members hold the same data", entry.name)
            }
        }
    }

    private static func violation(_ property: String, _ detail: String) -> FuzzViolation {
        FuzzViolation(.zip, property, detail)
    }
}
