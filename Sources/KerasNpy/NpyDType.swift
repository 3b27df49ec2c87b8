/// The element types kconform reads from `.npy` files: little- or big-endian numbers and bool.
public struct NpyDType: Hashable, Sendable, CustomStringConvertible {
    /// The kind of number.
    public enum Kind: String, Sendable {
        /// IEEE float (`f`).
        case float = "f"
        /// Signed integer (`i`).
        case signed = "i"
        /// Unsigned integer (`u`).
        case unsigned = "u"
        /// Bool, one byte (`b`).
        case bool = "b"
    }

    /// The kind.
    public let kind: Kind
    /// The item size in bytes.
    public let size: Int
    /// Whether the bytes are big-endian.
    public let bigEndian: Bool

    /// A dtype; sizes must be ones NumPy uses for the kind.
    public init?(kind: Kind, size: Int, bigEndian: Bool = false) {
        let valid: [Kind: Set<Int>] = [.float: [2, 4, 8], .signed: [1, 2, 4, 8], .unsigned: [1, 2, 4, 8], .bool: [1]]
        guard valid[kind]?.contains(size) == true else { return nil }
        self.kind = kind
        self.size = size
        self.bigEndian = size == 1 ? false : bigEndian
    }

    /// Parses a NumPy `descr` such as `<f4`, `|b1`, `>i8`; nil for anything else.
    public init?(descr: String) {
        let scalars = Array(descr.unicodeScalars)
        guard scalars.count >= 3, let kind = Kind(rawValue: String(scalars[1])), let size = Int(String(String.UnicodeScalarView(scalars[2...]))) else {
            return nil
        }
        switch scalars[0] {
        case "<", "|", "=": self.init(kind: kind, size: size, bigEndian: false)
        case ">": self.init(kind: kind, size: size, bigEndian: true)
        default: return nil
        }
    }

    /// The `descr` NumPy writes for this dtype.
    public var descr: String { (size == 1 ? "|" : bigEndian ? ">" : "<") + kind.rawValue + String(size) }

    /// The Keras dtype name (`float32`, `int64`, `bool`).
    public var name: String {
        switch kind {
        case .float: "float\(size * 8)"
        case .signed: "int\(size * 8)"
        case .unsigned: "uint\(size * 8)"
        case .bool: "bool"
        }
    }

    public var description: String { descr }

    /// float32, little-endian.
    public static let float32 = NpyDType(kind: .float, size: 4)!
}
