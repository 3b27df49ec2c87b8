import KerasBytes

/// Bob Jenkins' lookup3 `hashlittle`, the checksum of HDF5 metadata (format spec II.D, "Checksums")
/// and the hash of names in version 2 B-trees.
enum Lookup3 {
    /// The hash of `bytes` with `initialValue` (HDF5 metadata uses 0).
    static func hash(_ bytes: UnsafeRawBufferPointer, initialValue: UInt32 = 0) -> UInt32 {
        var length = bytes.count
        var a = 0xDEAD_BEEF &+ UInt32(truncatingIfNeeded: length) &+ initialValue
        var b = a
        var c = a
        var index = 0

        @inline(__always) func word(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }

        while length > 12 {
            a = a &+ word(index)
            b = b &+ word(index + 4)
            c = c &+ word(index + 8)
            a = a &- c; a ^= rotate(c, 4); c = c &+ b
            b = b &- a; b ^= rotate(a, 6); a = a &+ c
            c = c &- b; c ^= rotate(b, 8); b = b &+ a
            a = a &- c; a ^= rotate(c, 16); c = c &+ b
            b = b &- a; b ^= rotate(a, 19); a = a &+ c
            c = c &- b; c ^= rotate(b, 4); b = b &+ a
            length -= 12
            index += 12
        }
        if length == 0 { return c }
        // The tail: up to 12 bytes added little-endian into a, b, c.
        var tail = [UInt32](repeating: 0, count: 3)
        for offset in 0..<length {
            tail[offset / 4] |= UInt32(bytes[index + offset]) << (8 * UInt32(offset % 4))
        }
        a = a &+ tail[0]
        b = b &+ tail[1]
        c = c &+ tail[2]
        c ^= b; c = c &- rotate(b, 14)
        a ^= c; a = a &- rotate(c, 11)
        b ^= a; b = b &- rotate(a, 25)
        c ^= b; c = c &- rotate(b, 16)
        a ^= c; a = a &- rotate(c, 4)
        b ^= a; b = b &- rotate(a, 14)
        c ^= b; c = c &- rotate(b, 24)
        return c
    }

    /// The hash of a view.
    static func hash(_ view: ByteView) -> UInt32 {
        view.withUnsafeBytes { hash($0) }
    }

    /// The hash of an array.
    static func hash(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { hash($0) }
    }

    @inline(__always)
    private static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value << count) | (value >> (32 - count))
    }
}
