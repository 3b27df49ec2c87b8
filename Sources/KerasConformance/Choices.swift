/// The one source of every random decision the generators make.
///
/// Two sources drive the same generators: a seed (`kconform gen --seed`, the `conform` runner; SplitMix64,
/// so a seed replays the same model on every platform) and raw bytes (a fuzzer's input, or a
/// property-based test's shrinking byte array). With bytes, each draw consumes the bytes it needs and an
/// exhausted input draws the smallest choice, so shorter and smaller inputs give smaller models
/// (Hypothesis's choice-sequence shrinking): a shrunk byte array is a shrunk model.
public struct Choices: Sendable {
    private enum Source: Sendable {
        case seeded(state: UInt64)
        case bytes([UInt8], position: Int)
    }

    private var source: Source
    /// How many draws have been made.
    public private(set) var draws = 0

    /// Draws from SplitMix64 seeded with `seed`.
    public init(seed: UInt64) { source = .seeded(state: seed) }

    /// Draws from `bytes`, then the smallest choice once they run out.
    public init(bytes: [UInt8]) { source = .bytes(bytes, position: 0) }

    /// Whether a bytes source has run out (a seeded source never does).
    public var isExhausted: Bool {
        if case .bytes(let bytes, let position) = source { return position >= bytes.count }
        return false
    }

    /// 64 raw bits: the next SplitMix64 output, or up to 8 bytes big-endian (missing bytes are zero).
    private mutating func next(width: Int) -> UInt64 {
        draws += 1
        switch source {
        case .seeded(var state):
            state &+= 0x9E37_79B9_7F4A_7C15
            source = .seeded(state: state)
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        case .bytes(let bytes, var position):
            var value: UInt64 = 0
            for _ in 0..<width {
                value <<= 8
                if position < bytes.count { value |= UInt64(bytes[position]) }
                position += 1
            }
            source = .bytes(bytes, position: min(position, bytes.count))
            return value
        }
    }

    /// An integer in `range`; the lower bound when bytes run out.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
        guard span > 0 else { _ = next(width: 0); return range.lowerBound }
        let width = span < 0x100 ? 1 : span < 0x1_0000 ? 2 : span < 0x1_0000_0000 ? 4 : 8
        let raw = next(width: width)
        let offset = span == .max ? raw : raw % (span + 1)
        return range.lowerBound &+ Int(truncatingIfNeeded: offset)
    }

    /// True with probability `probability` (false when bytes run out).
    public mutating func bool(_ probability: Double = 0.5) -> Bool {
        let byte = Double(next(width: 1) % 256)
        return byte >= 256 * (1 - max(0, min(1, probability)))
    }

    /// One element of a non-empty list; the first when bytes run out.
    public mutating func element<T>(of items: [T]) -> T {
        precondition(!items.isEmpty, "element(of:) needs a non-empty list")
        return items[int(in: 0...(items.count - 1))]
    }

    /// A float in `range`, on a grid of 1/4096 of the range; the lower bound when bytes run out.
    public mutating func float(in range: ClosedRange<Float>) -> Float {
        let step = int(in: 0...4096)
        return range.lowerBound + (range.upperBound - range.lowerBound) * Float(step) / 4096
    }

    /// `count` values drawn by `draw`.
    public mutating func list<T>(count: Int, _ draw: (inout Choices) -> T) -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(draw(&self)) }
        return result
    }

    /// A fresh seed for a dependent stream (weights, inputs), so that their size does not shift later draws.
    public mutating func seed() -> UInt64 {
        let high = UInt64(int(in: 0...Int(UInt32.max)))
        let low = UInt64(int(in: 0...Int(UInt32.max)))
        return high << 32 | low
    }
}
