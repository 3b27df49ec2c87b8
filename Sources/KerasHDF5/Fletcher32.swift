import KerasBytes

/// HDF5's Fletcher-32 checksum (filter 3): 16-bit big-endian words, sums reduced modulo 65535.
enum Fletcher32 {
    /// The checksum of `bytes` as `H5_checksum_fletcher32` computes it.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var sum1: UInt32 = 0
        var sum2: UInt32 = 0
        var words = bytes.count / 2
        var index = 0
        // 360 words keep both sums below 2^32 between reductions.
        let wordsPerReduction = 360
        while words > 0 {
            let batch = min(words, wordsPerReduction)
            words -= batch
            for _ in 0..<batch {
                sum1 &+= UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
                sum2 &+= sum1
                index += 2
            }
            sum1 = (sum1 & 0xFFFF) &+ (sum1 >> 16)
            sum2 = (sum2 & 0xFFFF) &+ (sum2 >> 16)
        }
        if bytes.count % 2 == 1 {
            sum1 &+= UInt32(bytes[index]) << 8
            sum2 &+= sum1
            sum1 = (sum1 & 0xFFFF) &+ (sum1 >> 16)
            sum2 = (sum2 & 0xFFFF) &+ (sum2 >> 16)
        }
        sum1 = (sum1 & 0xFFFF) &+ (sum1 >> 16)
        sum2 = (sum2 & 0xFFFF) &+ (sum2 >> 16)
        return sum2 << 16 | sum1
    }
}
