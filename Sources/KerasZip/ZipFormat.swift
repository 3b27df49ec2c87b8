/// Record signatures, fixed sizes and sentinel values of the zip format (PKWARE APPNOTE 6.3.10).
enum ZipFormat {
    /// Local file header signature `PK\3\4` (APPNOTE 4.3.7).
    static let localHeaderSignature: UInt32 = 0x0403_4B50
    /// Central directory file header signature `PK\1\2` (APPNOTE 4.3.12).
    static let centralHeaderSignature: UInt32 = 0x0201_4B50
    /// End of central directory record signature `PK\5\6` (APPNOTE 4.3.16).
    static let endRecordSignature: UInt32 = 0x0605_4B50
    /// ZIP64 end of central directory record signature `PK\6\6` (APPNOTE 4.3.14).
    static let zip64EndRecordSignature: UInt32 = 0x0606_4B50
    /// ZIP64 end of central directory locator signature `PK\6\7` (APPNOTE 4.3.15).
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    /// Optional data descriptor signature `PK\7\8` (APPNOTE 4.3.9).
    static let dataDescriptorSignature: UInt32 = 0x0807_4B50

    /// Size of an extra field header (id and length).
    static let extraFieldHeaderSize = 4

    /// Extra field id of the ZIP64 extended information field (APPNOTE 4.5.3).
    static let zip64ExtraFieldID: UInt16 = 0x0001
    /// A 32-bit size or offset of this value is found in the ZIP64 extra field.
    static let sentinel32: UInt32 = 0xFFFF_FFFF
    /// A 16-bit count or disk number of this value is found in the ZIP64 end record.
    static let sentinel16: UInt16 = 0xFFFF
    /// Size of a record signature, and of a data descriptor's CRC-32 field.
    static let signatureSize = 4
    /// Width of each data descriptor size without ZIP64.
    static let descriptorNarrowWidth = 4
    /// Width of each data descriptor size when the local header has a ZIP64 field.
    static let descriptorWideWidth = 8

    /// The highest version-needed Python's zipfile accepts (`MAX_EXTRACT_VERSION`, 6.3).
    static let maxPythonExtractVersion: UInt16 = 63
}

/// Upper-case hexadecimal digits of `value`, zero-padded to its width.
func hex<T: FixedWidthInteger & UnsignedInteger>(_ value: T) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, T.bitWidth / 4 - digits.count)) + digits
}
