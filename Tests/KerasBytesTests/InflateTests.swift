import CZlib
import Testing
@testable import KerasBytes

/// Compresses with zlib's own deflate so the inflate side is tested against real streams.
func deflateForTest(_ input: [UInt8], raw: Bool) -> [UInt8] {
    var stream = z_stream()
    deflateInit2_(&stream, 6, Z_DEFLATED, raw ? -15 : 15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 16)
    var input = input
    let produced = input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            stream.next_out = outBuffer.baseAddress
            stream.avail_out = uInt(outBuffer.count)
            _ = deflate(&stream, Z_FINISH)
            return outBuffer.count - Int(stream.avail_out)
        }
    }
    return Array(output[0..<produced])
}

@Suite struct InflateTests {
    let text = Array(String(repeating: "keras weights ", count: 20_000).utf8)

    @Test(arguments: [Inflate.Format.raw, .zlib])
    func roundTripsWithinTheCap(format: Inflate.Format) throws {
        let packed = ByteView(copying: deflateForTest(text, raw: format == .raw))
        let result = try Inflate.all(packed, format: format, maxOutput: text.count).get()
        #expect(result == text)
    }

    @Test func outputBeyondTheCapStops() {
        let packed = ByteView(copying: deflateForTest(text, raw: true))
        #expect(Inflate.all(packed, format: .raw, maxOutput: 1000) == .failure(.outputLimitExceeded(limit: 1000)))
    }

    @Test func truncatedAndTrailingStreamsAreReported() {
        let packed = deflateForTest(text, raw: true)
        let truncated = Inflate.all(ByteView(copying: packed.dropLast(10)), format: .raw, maxOutput: text.count)
        guard case .failure(.truncated) = truncated else { Issue.record("expected truncated, got \(truncated)"); return }
        let trailing = Inflate.all(ByteView(copying: packed + [0, 0]), format: .raw, maxOutput: text.count)
        #expect(trailing == .failure(.trailingInput(count: 2)))
        let garbage = Inflate.all(ByteView(copying: [0xFF, 0xFF, 0xFF]), format: .raw, maxOutput: 10)
        guard case .failure(.corrupt) = garbage else { Issue.record("expected corrupt, got \(garbage)"); return }
    }
}
