import KerasJSON

/// Resolves RFC 6901 JSON pointers, independently of the pointers the code under test builds.
enum JSONPointerResolver {
    /// The value `pointer` names inside `root`, or nil when it names nothing.
    static func resolve(_ pointer: String, in root: JSONValue) -> JSONValue? {
        // RFC 6901 sections 3 and 4: "" is the whole document, else "/"-prefixed tokens with ~1 and ~0 escapes.
        guard !pointer.isEmpty else { return root }
        guard pointer.hasPrefix("/") else { return nil }
        var current = root
        for token in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let object):
                guard let next = object[key] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(key), String(index) == key, elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }
}
