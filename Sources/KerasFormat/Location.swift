/// Where a finding is: the file given by the user, and inside it as far as known.
public struct Location: Hashable, Sendable, CustomStringConvertible {
    /// The path the user named (a file or a folder).
    public var file: String
    /// A zip member, a file inside a model folder, or a shard of sharded weights.
    public var member: String?
    /// An absolute HDF5 path inside the member or file.
    public var hdf5Path: String?
    /// A JSON pointer (RFC 6901) into `config.json`, `metadata.json` or a legacy `model_config`.
    public var jsonPointer: String?
    /// A byte offset inside the innermost container named above.
    public var byteOffset: Int?

    /// A location; all but the file are optional.
    public init(file: String, member: String? = nil, hdf5Path: String? = nil, jsonPointer: String? = nil, byteOffset: Int? = nil) {
        self.file = file
        self.member = member
        self.hdf5Path = hdf5Path
        self.jsonPointer = jsonPointer
        self.byteOffset = byteOffset
    }

    /// The same location one level further in.
    public func with(member: String? = nil, hdf5Path: String? = nil, jsonPointer: String? = nil, byteOffset: Int? = nil) -> Location {
        var copy = self
        if let member { copy.member = member }
        if let hdf5Path { copy.hdf5Path = hdf5Path }
        if let jsonPointer { copy.jsonPointer = jsonPointer }
        if let byteOffset { copy.byteOffset = byteOffset }
        return copy
    }

    public var description: String {
        var parts = [file]
        if let member { parts.append(member) }
        if let hdf5Path { parts.append(hdf5Path) }
        if let jsonPointer { parts.append("#" + jsonPointer) }
        var text = parts.joined(separator: " › ")
        if let byteOffset { text += " @\(byteOffset)" }
        return text
    }
}
