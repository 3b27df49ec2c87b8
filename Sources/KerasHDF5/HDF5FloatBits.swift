/// The bit layout of a floating-point datatype (Datatype message, class 1 properties).
public struct HDF5FloatBits: Sendable, Hashable {
    /// Bit position of the first significant bit.
    public let bitOffset: Int
    /// Number of significant bits.
    public let precision: Int
    /// Bit position of the sign bit.
    public let signLocation: Int
    /// Bit position of the exponent's least significant bit.
    public let exponentLocation: Int
    /// Bits in the exponent.
    public let exponentSize: Int
    /// Bit position of the mantissa's least significant bit.
    public let mantissaLocation: Int
    /// Bits in the mantissa.
    public let mantissaSize: Int
    /// The exponent bias.
    public let exponentBias: UInt32
    /// Mantissa normalization: 0 none, 1 most significant bit always set, 2 implied (IEEE).
    public let mantissaNormalization: Int
    /// Padding type bits (low pad, high pad, internal pad), 0 for IEEE.
    public let padding: Int

    /// A layout from its fields.
    public init(
        bitOffset: Int, precision: Int, signLocation: Int, exponentLocation: Int, exponentSize: Int,
        mantissaLocation: Int, mantissaSize: Int, exponentBias: UInt32, mantissaNormalization: Int, padding: Int
    ) {
        self.bitOffset = bitOffset
        self.precision = precision
        self.signLocation = signLocation
        self.exponentLocation = exponentLocation
        self.exponentSize = exponentSize
        self.mantissaLocation = mantissaLocation
        self.mantissaSize = mantissaSize
        self.exponentBias = exponentBias
        self.mantissaNormalization = mantissaNormalization
        self.padding = padding
    }

    /// The IEEE 754 binary16, binary32 or binary64 layout for `size` 2, 4 or 8.
    public static func ieee(size: Int) -> HDF5FloatBits? {
        let (exponent, mantissa): (Int, Int)
        switch size {
        case 2: (exponent, mantissa) = (5, 10)
        case 4: (exponent, mantissa) = (8, 23)
        case 8: (exponent, mantissa) = (11, 52)
        default: return nil
        }
        return HDF5FloatBits(
            bitOffset: 0, precision: size * 8, signLocation: size * 8 - 1, exponentLocation: mantissa,
            exponentSize: exponent, mantissaLocation: 0, mantissaSize: mantissa,
            exponentBias: (1 << UInt32(exponent - 1)) - 1, mantissaNormalization: 2, padding: 0)
    }

    /// Whether this is the IEEE layout of a `size`-byte float.
    public func isIEEE(size: Int) -> Bool { HDF5FloatBits.ieee(size: size) == self }
}
