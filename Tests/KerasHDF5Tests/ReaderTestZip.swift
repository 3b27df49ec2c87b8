import KerasBytes

/// Just enough of a zip reader to take a stored or deflated member out of a `.keras` archive in tests.
enum ReaderTestZip {
    /// The bytes of member `name`, or nil.
    static func member(_ name: String, in archive: ByteView) -> ByteView? {
        let count = archive.count
        guard count >= 22 else { return nil }
        var end = count - 22
        while end >= 0, archive.loadLittleEndian(UInt32.self, at: end) != 0x0605_4B50 { end -= 1 }
        guard end >= 0, let entries = archive.loadLittleEndian(UInt16.self, at: end + 10),
            let directory = archive.loadLittleEndian(UInt32.self, at: end + 16)
        else { return nil }
        var offset = Int(directory)
        for _ in 0..<Int(entries) {
            guard archive.loadLittleEndian(UInt32.self, at: offset) == 0x0201_4B50,
                let method = archive.loadLittleEndian(UInt16.self, at: offset + 10),
                let compressed = archive.loadLittleEndian(UInt32.self, at: offset + 20),
                let size = archive.loadLittleEndian(UInt32.self, at: offset + 24),
                let nameLength = archive.loadLittleEndian(UInt16.self, at: offset + 28),
                let extraLength = archive.loadLittleEndian(UInt16.self, at: offset + 30),
                let commentLength = archive.loadLittleEndian(UInt16.self, at: offset + 32),
                let local = archive.loadLittleEndian(UInt32.self, at: offset + 42),
                let nameBytes = archive.slice(offset: offset + 46, length: Int(nameLength))
            else { return nil }
            if String(decoding: nameBytes, as: UTF8.self) == name {
                let localStart = Int(local)
                guard let localName = archive.loadLittleEndian(UInt16.self, at: localStart + 26),
                    let localExtra = archive.loadLittleEndian(UInt16.self, at: localStart + 28),
                    let data = archive.slice(offset: localStart + 30 + Int(localName) + Int(localExtra), length: Int(compressed))
                else { return nil }
                switch method {
                case 0: return data
                case 8:
                    guard case let .success(bytes) = Inflate.all(data, format: .raw, maxOutput: Int(size)) else { return nil }
                    return ByteView(copying: bytes)
                default: return nil
                }
            }
            offset += 46 + Int(nameLength) + Int(extraLength) + Int(commentLength)
        }
        return nil
    }
}
