/// One filter of a dataset's filter pipeline (Filter Pipeline message, format spec IV.A.2.l).
public struct HDF5Filter: Sendable, Hashable {
    /// The filter id: 1 deflate, 2 shuffle, 3 Fletcher-32, 4 szip, 5 n-bit, 6 scale-offset, 32000 LZF, ...
    public let id: Int
    /// The name stored in the file, or the well-known name of a predefined filter.
    public let name: String
    /// Whether a writer may skip the filter for a chunk (recorded in the chunk's filter mask).
    public let isOptional: Bool
    /// The filter's parameters.
    public let clientData: [UInt32]

    /// A filter from its fields.
    public init(id: Int, name: String, isOptional: Bool, clientData: [UInt32]) {
        self.id = id
        self.name = name
        self.isOptional = isOptional
        self.clientData = clientData
    }

    /// Whether ``HDF5File/data(of:)`` can decode this filter.
    public var isSupported: Bool { [HDF5Filter.deflate, HDF5Filter.shuffle, HDF5Filter.fletcher32].contains(id) }

    /// The id of the deflate (zlib) filter.
    public static let deflate = 1
    /// The id of the byte shuffle filter.
    public static let shuffle = 2
    /// The id of the Fletcher-32 checksum filter.
    public static let fletcher32 = 3

    /// The conventional name of a well-known filter id.
    static func wellKnownName(_ id: Int) -> String {
        switch id {
        case 1: return "deflate"
        case 2: return "shuffle"
        case 3: return "fletcher32"
        case 4: return "szip"
        case 5: return "nbit"
        case 6: return "scaleoffset"
        case 32000: return "lzf"
        case 32001: return "blosc"
        case 32004: return "lz4"
        case 32008: return "bitshuffle"
        case 32015: return "zstd"
        default: return "filter \(id)"
        }
    }
}
