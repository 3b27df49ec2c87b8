import CZip
import KerasBytes
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes zip archives of trusted data through libzip, in the shape Keras (Python's zipfile) writes them:
/// members in the order added, STORED, flags 0, no extra fields, no data descriptor, no comment, the DOS
/// time and external attributes given.
///
/// Known differences from Python's zipfile that libzip 1.7 does not let a caller control; everything else is
/// byte-identical (asserted by `ZipWriterTests.differsFromPythonOnlyInKnownFields` against a fixture written
/// by CPython 3.11's zipfile):
/// - version made by: libzip writes 0x033F (Unix, spec 6.3), Python 0x0314 (Unix, spec 2.0). Central header
///   bytes 4-5.
/// - version needed to extract: libzip writes 10 (1.0) for STORED members, 20 for DEFLATE; Python always 20.
///   Local header bytes 4-5 and central header bytes 6-7.
/// Neither changes how any reader extracts the data; a byte-for-byte comparison against Keras output must
/// mask these two fields.
public struct ZipWriter: Sendable {
    /// How a member's data is stored.
    public enum Compression: Sendable, Hashable {
        /// No compression (method 0), what Keras writes.
        case stored
        /// DEFLATE (method 8) at zlib's default level 6, as Python's zipfile compresses (libzip's own default,
        /// level 9, would also set general purpose flag bit 1).
        case deflate
    }

    private struct Member: Sendable {
        var name: String
        var contents: ByteView
        var modified: DOSDateTime
        var externalAttributes: UInt32
        var compression: Compression
    }

    private var members: [Member] = []

    /// zlib's default level (`Z_DEFAULT_COMPRESSION`), which Python's zipfile uses for ZIP_DEFLATED.
    private static let pythonDeflateLevel: zip_uint32_t = 6
    /// An archive without members: the end of central directory record alone, as Python writes it (libzip
    /// writes no file at all for an empty archive).
    private static let emptyArchive: [UInt8] = [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)

    /// A writer with no members.
    public init() {}

    /// Appends a member. `externalAttributes` defaults to a regular file with mode 0600, as Python's zipfile
    /// gives `writestr` members; `modified` defaults to 1980-01-01 00:00:00, as Keras's JSON members carry.
    public mutating func addFile(
        name: String, contents: ByteView, modified: DOSDateTime = .zipEpoch,
        externalAttributes: UInt32 = 0o600 << 16, compression: Compression = .stored
    ) {
        members.append(Member(name: name, contents: contents, modified: modified,
                              externalAttributes: externalAttributes, compression: compression))
    }

    /// The names added so far, in order.
    public var names: [String] { members.map(\.name) }

    /// The archive's bytes.
    public func archiveBytes() throws(ZipWriteError) -> [UInt8] {
        if members.isEmpty { return ZipWriter.emptyArchive }
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        guard let source = zip_source_buffer_create(nil, 0, 0, &error) else {
            throw ZipWriteError("libzip: creating the output buffer: " + String(cString: zip_error_strerror(&error)),
                                code: zip_error_code_zip(&error))
        }
        guard let archive = zip_open_from_source(source, ZIP_CREATE | ZIP_TRUNCATE, &error) else {
            zip_source_free(source)
            throw ZipWriteError("libzip: opening the output archive: " + String(cString: zip_error_strerror(&error)),
                                code: zip_error_code_zip(&error))
        }
        zip_source_keep(source)
        defer { zip_source_free(source) }
        for member in members {
            do throws(ZipWriteError) {
                try add(member, to: archive)
            } catch {
                zip_discard(archive)
                throw error
            }
        }
        guard zip_close(archive) == 0 else {
            let failure = ZipWriteError("libzip: writing the archive: " + String(cString: zip_strerror(archive)),
                                        code: zip_error_code_zip(zip_get_error(archive)))
            zip_discard(archive)
            throw failure
        }
        return try readAll(source)
    }

    /// Writes the archive to `path` atomically: a temporary file in the same directory is written, flushed
    /// with `fsync` and renamed over `path`, so `path` never holds a partial archive. The file gets mode 0644.
    public func write(toFile path: String) throws(ZipWriteError) {
        let contents = try archiveBytes()
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !base.isEmpty else { throw ZipWriteError("\(path): not a file path", code: EINVAL) }
        var template = Array("\(directory)/.\(base).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw ZipWriteError.system("creating a temporary file next to \(path)") }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var closed = false
        do throws(ZipWriteError) {
            let failed = contents.withUnsafeBytes { raw -> Bool in
                var written = 0
                while written < raw.count {
                    let result = systemWrite(descriptor, raw.baseAddress! + written, raw.count - written)
                    if result < 0 {
                        if errno == EINTR { continue }
                        return true
                    }
                    written += result
                }
                return false
            }
            if failed { throw ZipWriteError.system("writing \(temporary)") }
            guard fchmod(descriptor, 0o644) == 0 else { throw ZipWriteError.system("setting the mode of \(temporary)") }
            guard fsync(descriptor) == 0 else { throw ZipWriteError.system("flushing \(temporary)") }
            closed = true
            guard close(descriptor) == 0 else { throw ZipWriteError.system("closing \(temporary)") }
            guard rename(temporary, path) == 0 else { throw ZipWriteError.system("renaming \(temporary) to \(path)") }
        } catch {
            if !closed { close(descriptor) }
            unlink(temporary)
            throw error
        }
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    private func add(_ member: Member, to archive: OpaquePointer) throws(ZipWriteError) {
        guard !member.name.unicodeScalars.contains("\0") else {
            throw ZipWriteError("member name '\(member.name)' contains NUL", code: ZIP_ER_INVAL)
        }
        let count = member.contents.count
        // libzip never frees a zero-length buffer it was given to own: an empty member gets no buffer.
        var buffer: UnsafeMutableRawPointer?
        if count > 0 {
            guard let allocated = malloc(count) else { throw ZipWriteError("out of memory", code: ZIP_ER_MEMORY) }
            member.contents.withUnsafeBytes { raw in _ = memcpy(allocated, raw.baseAddress!, count) }
            buffer = allocated
        }
        guard let data = zip_source_buffer(archive, buffer, zip_uint64_t(count), buffer == nil ? 0 : 1) else {
            free(buffer)
            throw failure(archive, "adding the data of '\(member.name)'")
        }
        let index = member.name.withCString { zip_file_add(archive, $0, data, ZIP_FL_ENC_UTF_8) }
        guard index >= 0 else {
            zip_source_free(data)
            throw failure(archive, "adding '\(member.name)'")
        }
        let entry = zip_uint64_t(index)
        let method = member.compression == .stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE
        let level: zip_uint32_t = member.compression == .stored ? 0 : ZipWriter.pythonDeflateLevel
        guard zip_set_file_compression(archive, entry, method, level) == 0 else {
            throw failure(archive, "setting the compression of '\(member.name)'")
        }
        guard zip_file_set_dostime(archive, entry, member.modified.time, member.modified.date, 0) == 0 else {
            throw failure(archive, "setting the time of '\(member.name)'")
        }
        guard zip_file_set_external_attributes(
            archive, entry, 0, zip_uint8_t(ZIP_OPSYS_UNIX), member.externalAttributes) == 0 else {
            throw failure(archive, "setting the attributes of '\(member.name)'")
        }
        let bothHeaders = zip_flags_t(ZIP_FL_LOCAL | ZIP_FL_CENTRAL)
        if zip_file_extra_fields_count(archive, entry, bothHeaders) > 0,
           zip_file_extra_field_delete(archive, entry, zip_uint16_t(ZIP_EXTRA_FIELD_ALL), bothHeaders) != 0 {
            throw failure(archive, "removing the extra fields of '\(member.name)'")
        }
    }

    private func failure(_ archive: OpaquePointer, _ action: String) -> ZipWriteError {
        ZipWriteError("libzip: \(action): " + String(cString: zip_strerror(archive)),
                      code: zip_error_code_zip(zip_get_error(archive)))
    }

    private func readAll(_ source: OpaquePointer) throws(ZipWriteError) -> [UInt8] {
        func sourceFailure(_ action: String) -> ZipWriteError {
            let error = zip_source_error(source)!
            return ZipWriteError("libzip: \(action): " + String(cString: zip_error_strerror(error)),
                                 code: zip_error_code_zip(error))
        }
        guard zip_source_open(source) == 0 else { throw sourceFailure("reopening the output buffer") }
        defer { zip_source_close(source) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBytes { zip_source_read(source, $0.baseAddress!, zip_uint64_t($0.count)) }
            if got < 0 { throw sourceFailure("reading the output buffer") }
            if got == 0 { break }
            output.append(contentsOf: chunk[0..<Int(got)])
        }
        return output
    }
}

/// `write(2)`, named apart from ``ZipWriter/write(toFile:)``.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
