import KerasBytes
import Testing
@testable import KerasHDF5

/// The checksums, filters and value decoders the reader is built from.
@Suite struct HDF5ReaderUnitTests {
    @Test func lookup3MatchesJenkinsReferenceVectors() {
        #expect(Lookup3.hash([]) == 0xDEAD_BEEF)
        let text = Array("Four score and seven years ago".utf8)
        #expect(Lookup3.hash(text) == 0x1777_0551)
        #expect(text.withUnsafeBytes { Lookup3.hash($0, initialValue: 1) } == 0xCD62_8161)
    }

    @Test func fletcher32SumsBigEndianWords() {
        let even: [UInt8] = [0x01, 0x02]
        let odd: [UInt8] = [0x01, 0x02, 0x03]
        #expect(even.withUnsafeBytes { Fletcher32.checksum($0) } == 0x0102_0102)
        #expect(odd.withUnsafeBytes { Fletcher32.checksum($0) } == 0x0504_0402)
        // HDF5 folds sums with end-around carry, so 0xFFFF is never reduced to 0.
        let long = [UInt8](repeating: 0xFF, count: 2000)
        #expect(long.withUnsafeBytes { Fletcher32.checksum($0) } == 0xFFFF_FFFF)
    }

    @Test func unshuffleRestoresElementBytes() {
        // Elements 0x0A0B0C0D and 0x1A1B1C1D shuffled into byte planes, plus one trailing byte.
        let shuffled = ByteView(copying: [0x0D, 0x1D, 0x0C, 0x1C, 0x0B, 0x1B, 0x0A, 0x1A, 0x99])
        let restored = HDF5Decoder.unshuffle(shuffled, elementSize: 4)
        #expect(restored.bytes == [0x0D, 0x0C, 0x0B, 0x0A, 0x1D, 0x1C, 0x1B, 0x1A, 0x99])
    }

    @Test func halfPrecisionValuesDecode() {
        #expect(HDF5Decoder.ieeeDouble(0x3C00, size: 2) == 1)
        #expect(HDF5Decoder.ieeeDouble(0xC000, size: 2) == -2)
        #expect(HDF5Decoder.ieeeDouble(0x0001, size: 2) == 0x1p-24)
        #expect(HDF5Decoder.ieeeDouble(0x7C00, size: 2) == .infinity)
        #expect(HDF5Decoder.ieeeDouble(0x7E00, size: 2).isNaN)
    }

    @Test func integersDecodeInBothByteOrders() {
        #expect(HDF5Decoder.integer([0xFE, 0xFF], signed: true, bigEndian: false) == -2)
        #expect(HDF5Decoder.integer([0xFF, 0xFE], signed: true, bigEndian: true) == -2)
        #expect(HDF5Decoder.integer([0xFE, 0xFF], signed: false, bigEndian: false) == 0xFFFE)
        #expect(HDF5Decoder.limitEncodedSize(255) == 1)
        #expect(HDF5Decoder.limitEncodedSize(256) == 2)
    }

    @Test func errorLocationsNameAddressAndPath() {
        let error = HDF5Error(HDF5Error.Code.cycle, "loop", address: 0x1A8, path: "/layers/dense/vars")
        #expect(error.location == "0x1a8 in /layers/dense/vars")
        #expect(error.description == "KC-H5-059 loop (at 0x1a8 in /layers/dense/vars)")
        #expect(HDF5Error(HDF5Error.Code.cycle, "other reason") == error)
        #expect(HDF5Error(HDF5Error.Code.cycle, "x").location.isEmpty)
    }
}
