import KerasBytes

/// One fuzzer input split into its option byte and its body (Fuzz/README.md, "The option prefix").
///
/// An input of at least two bytes whose first byte is `0x00` carries options: its second byte is the
/// option byte and the body starts at the third. Any other input is a body with every option off, so a
/// real file is a valid input as it is (no file kconform reads starts with `0x00`; to feed one that
/// does, prefix `00 00`). Each target numbers its options in an append-only list from bit 0 up; an
/// input that sets a bit the target does not define means nothing and is dropped, so that bits added
/// later never change what a saved input means.
public struct FuzzInput: Sendable {
    /// The first byte of an input that carries an option byte.
    public static let optionMarker: UInt8 = 0x00
    /// The bytes before the body of an input with options: the marker and the option byte.
    static let prefixLength = 2

    /// The option byte; 0 when the input has no option prefix.
    public let options: UInt8
    /// The bytes handed to the reader.
    public let body: ByteView

    /// Splits `bytes`; nil when the option byte sets a bit outside `definedOptions`.
    public init?(_ bytes: UnsafeRawBufferPointer, definedOptions: UInt8) {
        guard bytes.count >= FuzzInput.prefixLength, bytes[0] == FuzzInput.optionMarker else {
            self.options = 0
            self.body = ByteView(copying: bytes)
            return
        }
        guard bytes[1] & ~definedOptions == 0 else { return nil }
        self.options = bytes[1]
        self.body = ByteView(copying: bytes[FuzzInput.prefixLength...])
    }

    /// The input that carries `options` and `body`: the body alone when `options` is 0 and the body
    /// does not start with the marker, else the prefix and the body.
    public static func encode(options: UInt8, body: [UInt8]) -> [UInt8] {
        if options == 0, body.first != optionMarker { return body }
        return [optionMarker, options] + body
    }

    /// Whether option bit `bit` is set.
    func has(_ bit: UInt8) -> Bool { options & bit != 0 }
}
