import CZip
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A zip reader through libzip, for differential tests only: whatever the Swift reader accepts must read
/// the same here. Never used on untrusted input outside tests.
public enum ZipOracle {
    /// One member as libzip reads it.
    public struct Member: Equatable, Sendable {
        /// The name decoded strictly by the spec (UTF-8 when flag bit 11 is set, else CP437), as Python does.
        public let name: String
        /// The name's raw bytes.
        public let rawName: [UInt8]
        /// The compression method.
        public let method: UInt16
        /// The stored size.
        public let compressedSize: Int
        /// The uncompressed size.
        public let size: Int
        /// The declared CRC-32 (libzip verified it while reading the data).
        public let crc32: UInt32
        /// The uncompressed data.
        public let data: [UInt8]
        /// The modification time as libzip converts the DOS time: seconds since 1970, read as local time.
        public let modifiedTime: Int
    }

    /// Why libzip refused the archive or a member.
    public struct Failure: Error, CustomStringConvertible, Sendable, Equatable {
        /// libzip's error code (`ZIP_ER_*`).
        public let code: Int32
        /// libzip's message, with what was being done.
        public let description: String
    }

    /// Reads every member of `bytes` fully, with libzip's consistency checks on (`ZIP_CHECKCONS`). Members
    /// larger than `maxMemberSize` are refused rather than inflated.
    public static func read(_ bytes: [UInt8], maxMemberSize: Int = 1 << 30) throws -> [Member] {
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        let copy = malloc(max(bytes.count, 1))!
        bytes.withUnsafeBytes { raw in
            if raw.count > 0 { _ = memcpy(copy, raw.baseAddress!, raw.count) }
        }
        guard let source = zip_source_buffer_create(copy, zip_uint64_t(bytes.count), 1, &error) else {
            free(copy)
            throw Failure(code: zip_error_code_zip(&error), description: "buffer: " + String(cString: zip_error_strerror(&error)))
        }
        guard let archive = zip_open_from_source(source, ZIP_CHECKCONS | ZIP_RDONLY, &error) else {
            zip_source_free(source)
            throw Failure(code: zip_error_code_zip(&error), description: "open: " + String(cString: zip_error_strerror(&error)))
        }
        defer { zip_discard(archive) }
        let count = zip_get_num_entries(archive, 0)
        guard count >= 0 else { throw failure(archive, "counting entries") }
        var members: [Member] = []
        for index in 0..<zip_uint64_t(count) {
            members.append(try readMember(archive, index, maxMemberSize: maxMemberSize))
        }
        return members
    }

    private static func readMember(_ archive: OpaquePointer, _ index: zip_uint64_t, maxMemberSize: Int) throws -> Member {
        var stat = zip_stat_t()
        zip_stat_init(&stat)
        guard zip_stat_index(archive, index, zip_flags_t(ZIP_FL_ENC_STRICT), &stat) == 0 else {
            throw failure(archive, "stat of entry \(index)")
        }
        let name = zip_get_name(archive, index, zip_flags_t(ZIP_FL_ENC_STRICT)).map { String(cString: $0) } ?? ""
        var rawName: [UInt8] = []
        if let raw = zip_get_name(archive, index, zip_flags_t(ZIP_FL_ENC_RAW)) {
            rawName = Array(UnsafeBufferPointer(start: raw, count: strlen(raw))).map { UInt8(bitPattern: $0) }
        }
        guard let size = Int(exactly: stat.size), size <= maxMemberSize, let compressedSize = Int(exactly: stat.comp_size) else {
            throw Failure(code: ZIP_ER_INVAL, description: "entry \(index) ('\(name)') declares \(stat.size) bytes, above the oracle's limit")
        }
        guard let file = zip_fopen_index(archive, index, 0) else { throw failure(archive, "opening '\(name)'") }
        var data: [UInt8] = []
        data.reserveCapacity(size)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBytes { zip_fread(file, $0.baseAddress!, zip_uint64_t($0.count)) }
            if got < 0 {
                let message = String(cString: zip_file_strerror(file))
                let code = zip_error_code_zip(zip_file_get_error(file))
                zip_fclose(file)
                throw Failure(code: code, description: "reading '\(name)': \(message)")
            }
            if got == 0 { break }
            data.append(contentsOf: chunk[0..<Int(got)])
            guard data.count <= maxMemberSize else {
                zip_fclose(file)
                throw Failure(code: ZIP_ER_INVAL, description: "'\(name)' inflates past the oracle's limit")
            }
        }
        let closed = zip_fclose(file)
        guard closed == 0 else {
            throw Failure(code: closed, description: "closing '\(name)': " + message(forCode: closed))
        }
        return Member(name: name, rawName: rawName, method: UInt16(truncatingIfNeeded: stat.comp_method),
                      compressedSize: compressedSize, size: size, crc32: stat.crc, data: data,
                      modifiedTime: Int(stat.mtime))
    }

    private static func failure(_ archive: OpaquePointer, _ action: String) -> Failure {
        Failure(code: zip_error_code_zip(zip_get_error(archive)), description: "\(action): " + String(cString: zip_strerror(archive)))
    }
}

/// libzip's message for a bare error code.
private func message(forCode code: Int32) -> String {
    var error = zip_error_t()
    zip_error_init_with_code(&error, code)
    defer { zip_error_fini(&error) }
    return String(cString: zip_error_strerror(&error))
}
