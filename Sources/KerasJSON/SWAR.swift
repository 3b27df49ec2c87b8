/// Eight-bytes-at-a-time tests ("SIMD within a register") for scanning plain string runs.
///
/// The classic zero-byte trick: `(w - 0x01…01) & ~w & 0x80…80` is non-zero exactly when some byte
/// of `w` is zero. It may flag a byte next to a real match, never miss one, so a flagged word is
/// re-scanned byte by byte.
enum SWAR {
    static let wordSize = MemoryLayout<UInt64>.size
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether some byte of `word` may equal `byte`.
    @inline(__always)
    static func hasByte(_ byte: UInt8, in word: UInt64) -> Bool {
        hasZeroByte(word ^ (ones &* UInt64(byte)))
    }

    /// Whether some byte of `word` may be below `limit` (at most 0x80).
    @inline(__always)
    static func hasByte(below limit: UInt8, in word: UInt64) -> Bool {
        (word &- ones &* UInt64(limit)) & ~word & highBits != 0
    }

    @inline(__always)
    private static func hasZeroByte(_ word: UInt64) -> Bool {
        (word &- ones) & ~word & highBits != 0
    }
}
