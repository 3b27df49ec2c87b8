import CZlib

/// Bounded DEFLATE decompression through zlib, for zip members and HDF5 deflate filters.
///
/// The output is capped by the caller: a stream that would produce more than `maxOutput` bytes stops
/// with ``InflateFailure/outputLimitExceeded`` before the extra bytes are kept, so a decompression
/// bomb costs at most the cap in memory.
public enum Inflate {
    /// The framing of the compressed stream.
    public enum Format: Sendable {
        /// Raw DEFLATE (zip method 8).
        case raw
        /// zlib framing with header and Adler-32 (HDF5 filter 1).
        case zlib
    }

    /// Why a stream did not inflate.
    public enum InflateFailure: Error, Equatable, Sendable {
        /// The stream would produce more than the cap.
        case outputLimitExceeded(limit: Int)
        /// zlib rejected the stream; the message is zlib's.
        case corrupt(String)
        /// The input ended before the end-of-stream marker.
        case truncated(produced: Int)
        /// Bytes follow the end-of-stream marker.
        case trailingInput(count: Int)
    }

    private static let chunkSize = 1 << 16

    /// Inflates `input`, handing each piece of output to `sink` in order; returns the total produced.
    public static func stream(
        _ input: ByteView, format: Format, maxOutput: Int,
        sink: (UnsafeRawBufferPointer) -> Void
    ) -> Result<Int, InflateFailure> {
        var stream = z_stream()
        let windowBits: Int32 = format == .raw ? -15 : 15
        guard kc_inflateInit2(&stream, windowBits) == Z_OK else { return .failure(.corrupt("inflateInit2 failed")) }
        defer { inflateEnd(&stream) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var produced = 0
        return input.withUnsafeBytes { raw -> Result<Int, InflateFailure> in
            // zlib does not write through next_in; the cast only satisfies its non-const API.
            stream.next_in = UnsafeMutablePointer(mutating: raw.baseAddress?.assumingMemoryBound(to: Bytef.self))
            var remainingInput = raw.count
            stream.avail_in = 0
            while true {
                if stream.avail_in == 0 && remainingInput > 0 {
                    let piece = min(remainingInput, Int(UInt32.max >> 1))
                    stream.avail_in = uInt(piece)
                    remainingInput -= piece
                }
                stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(chunkSize)
                let status = inflate(&stream, Z_NO_FLUSH)
                let got = chunkSize - Int(stream.avail_out)
                if got > 0 {
                    guard got <= maxOutput - produced else { return .failure(.outputLimitExceeded(limit: maxOutput)) }
                    sink(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
                    produced += got
                }
                switch status {
                case Z_STREAM_END:
                    let trailing = Int(stream.avail_in) + remainingInput
                    return trailing == 0 ? .success(produced) : .failure(.trailingInput(count: trailing))
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 && remainingInput == 0 { return .failure(.truncated(produced: produced)) }
                    continue
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return .failure(.corrupt(message))
                }
            }
        }
    }

    /// Inflates `input` into one array of at most `maxOutput` bytes.
    public static func all(_ input: ByteView, format: Format, maxOutput: Int) -> Result<[UInt8], InflateFailure> {
        var output: [UInt8] = []
        output.reserveCapacity(min(maxOutput, 1 << 26))
        return stream(input, format: format, maxOutput: maxOutput) { output.append(contentsOf: $0) }.map { _ in output }
    }
}
