/// Packed int4 kernels: two signed 4-bit values per int8 byte along the last axis, the first value in the
/// low nibble, the second in the high nibble, an odd length padded with a zero nibble (`pack_int4`,
/// keras/src/quantizers/quantizers.py 623-750).
public enum Int4Packing {
    /// `ceil(count / 2)`: the packed length of `count` values.
    public static func packedCount(_ count: Int) -> Int { count / 2 + count % 2 }

    /// `unpack_int4(packed, columns, axis=-1)` of a `[rows, packedCount(columns)]` matrix: the
    /// `[rows, columns]` values in [-8, 7] (quantizers.py 840-900: nibbles `packed & 0x0F` and
    /// `(packed >> 4) & 0x0F`, made signed by `(x ^ 8) - 8`, interleaved low then high, padding dropped).
    public static func unpackLastAxis(_ packed: [Int8], rows: Int, columns: Int) -> [Int8] {
        let width = packedCount(columns)
        precondition(packed.count == rows * width, "a packed int4 matrix of \(packed.count) bytes is not \(rows) x \(width)")
        func signed(_ nibble: Int8) -> Int8 { (nibble ^ 8) &- 8 }
        var values = [Int8](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns {
                let byte = packed[row * width + column / 2]
                let nibble = column % 2 == 0 ? byte & 0x0F : (byte >> 4) & 0x0F
                values[row * columns + column] = signed(nibble)
            }
        }
        return values
    }

    /// `pack_int4(values, axis=-1)` of a `[rows, columns]` matrix of values in [-8, 7]: the inverse of
    /// ``unpackLastAxis(_:rows:columns:)``.
    public static func packLastAxis(_ values: [Int8], rows: Int, columns: Int) -> [Int8] {
        precondition(values.count == rows * columns, "\(values.count) values are not \(rows) x \(columns)")
        let width = packedCount(columns)
        var packed = [Int8](repeating: 0, count: rows * width)
        for row in 0..<rows {
            for column in 0..<columns {
                let nibble = values[row * columns + column] & 0x0F
                packed[row * width + column / 2] |= column % 2 == 0 ? nibble : nibble << 4
            }
        }
        return packed
    }
}
