/// The UTF-8 check Python's `json.loads(bytes)` performs before it parses anything:
/// `bytes.decode("utf-8", "surrogatepass")`.
///
/// Strict UTF-8 (no overlong forms, nothing above U+10FFFF, no truncated sequences), except that
/// surrogate code points encoded as `ED A0..BF 80..BF` pass, as the `surrogatepass` handler lets
/// them. Such a surrogate is reported separately: Python accepts it, a Swift `String` cannot hold it.
enum UTF8Validator {
    /// What the scan found.
    struct Outcome {
        /// The first byte of the first ill-formed sequence, where Python's UnicodeDecodeError points.
        var invalidOffset: Int?
        /// The first byte of the first encoded surrogate before `invalidOffset`.
        var firstSurrogateOffset: Int?
    }

    private static let continuationMask: UInt8 = 0b1100_0000
    private static let continuationTag: UInt8 = 0b1000_0000
    private static let continuationLow: UInt8 = 0x80
    private static let continuationHigh: UInt8 = 0xBF
    /// 0xC0 and 0xC1 would only start overlong two-byte forms.
    private static let twoByteLeads: ClosedRange<UInt8> = 0xC2...0xDF
    /// E0: the second byte must be A0..BF (no overlong three-byte forms).
    private static let threeByteLowLead: UInt8 = 0xE0
    private static let threeByteLowSecond: ClosedRange<UInt8> = 0xA0...0xBF
    /// ED: 80..9F is a normal character, A0..BF a surrogate U+D800..U+DFFF.
    private static let surrogateLead: UInt8 = 0xED
    private static let surrogateLeadNormalSecond: ClosedRange<UInt8> = 0x80...0x9F
    private static let surrogateSecond: ClosedRange<UInt8> = 0xA0...0xBF
    private static let threeByteLeads: ClosedRange<UInt8> = 0xE1...0xEF
    /// F0: the second byte must be 90..BF (no overlong four-byte forms).
    private static let fourByteLowLead: UInt8 = 0xF0
    private static let fourByteLowSecond: ClosedRange<UInt8> = 0x90...0xBF
    private static let fourByteMiddleLeads: ClosedRange<UInt8> = 0xF1...0xF3
    /// F4: the second byte must be 80..8F (nothing above U+10FFFF).
    private static let fourByteHighLead: UInt8 = 0xF4
    private static let fourByteHighSecond: ClosedRange<UInt8> = 0x80...0x8F
    /// Eight bytes are ASCII when none has its high bit set.
    private static let asciiWordMask: UInt64 = 0x8080_8080_8080_8080
    private static let wordSize = MemoryLayout<UInt64>.size

    /// Scans `base[start..<end]`, stopping at the first ill-formed sequence.
    static func validate(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Outcome {
        // RFC 3629 section 4 (UTF-8 syntax), plus CPython's surrogatepass error handler.
        var outcome = Outcome()
        var index = start
        let raw = UnsafeRawPointer(base)
        while index < end {
            if end - index >= wordSize,
               raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & asciiWordMask == 0 {
                index += wordSize
                continue
            }
            let lead = base[index]
            if lead < ASCII.firstNonASCII {
                index += 1
                continue
            }
            let length: Int
            let secondRange: ClosedRange<UInt8>
            switch lead {
            case twoByteLeads:
                length = 2
                secondRange = continuationLow...continuationHigh
            case threeByteLowLead:
                length = 3
                secondRange = threeByteLowSecond
            case surrogateLead:
                length = 3
                if index + 1 < end, surrogateSecond.contains(base[index + 1]) {
                    secondRange = surrogateSecond
                    if outcome.firstSurrogateOffset == nil, index + 2 < end, isContinuation(base[index + 2]) {
                        outcome.firstSurrogateOffset = index
                    }
                } else {
                    secondRange = surrogateLeadNormalSecond
                }
            case threeByteLeads:
                length = 3
                secondRange = continuationLow...continuationHigh
            case fourByteLowLead:
                length = 4
                secondRange = fourByteLowSecond
            case fourByteMiddleLeads:
                length = 4
                secondRange = continuationLow...continuationHigh
            case fourByteHighLead:
                length = 4
                secondRange = fourByteHighSecond
            default:
                outcome.invalidOffset = index
                return outcome
            }
            guard end - index >= length, secondRange.contains(base[index + 1]) else {
                outcome.invalidOffset = index
                return outcome
            }
            for offset in 2..<length where !isContinuation(base[index + offset]) {
                outcome.invalidOffset = index
                return outcome
            }
            index += length
        }
        return outcome
    }

    @inline(__always)
    static func isContinuation(_ byte: UInt8) -> Bool {
        byte & continuationMask == continuationTag
    }
}
