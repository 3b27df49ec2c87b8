/// A JSON object as Python's `dict` holds it: members in insertion order, keys unique.
///
/// Assigning an existing key replaces its value in place; a new key goes to the end. Built from
/// pairs with a repeated key, the object keeps the first position and the last value, exactly
/// like `dict(pairs)` and `json.loads`. Keys are compared by Unicode scalars, not by Swift's
/// canonical equivalence ("é" and "e\u{301}" are two keys, as in Python).
///
/// Lookups are O(1) on average: objects with more than ``linearSearchLimit`` members keep a hash
/// index; smaller ones (most Keras layer configs) are searched linearly, which is faster for them.
/// Equality is ordered: two objects are equal when they hold the same members in the same order,
/// which is when `json.dumps` writes them identically.
public struct JSONObject: Sendable {
    /// One member.
    struct Member: Sendable {
        var key: String
        var value: JSONValue
    }

    private(set) var members: [Member]
    /// Position of every key; empty while the object has at most `linearSearchLimit` members.
    private var positions: [ExactString: Int]

    /// Objects with more members than this keep a hash index.
    static let linearSearchLimit = 12

    /// An empty object.
    public init() {
        members = []
        positions = [:]
    }

    /// An object built from `pairs` with Python `dict` semantics: a repeated key keeps its first
    /// position and its last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        self.init()
        for (key, value) in pairs {
            insertOrReplace(key, value)
        }
    }

    /// An object of `members` as parsed, in order; `repeated` is called with each key occurrence
    /// that repeats an earlier one (the object then keeps the first position and the last value).
    init(parsed members: [Member], repeated: (String) -> Void) {
        self.members = members
        positions = [:]
        if members.count > JSONObject.linearSearchLimit {
            positions.reserveCapacity(members.count)
            for (position, member) in members.enumerated() {
                let earlier = positions.updateValue(position, forKey: ExactString(member.key))
                if earlier != nil {
                    rebuild(from: members, repeated: repeated)
                    return
                }
            }
        } else {
            for later in members.indices.dropFirst() {
                for earlier in 0..<later where ExactString.equal(members[earlier].key, members[later].key) {
                    rebuild(from: members, repeated: repeated)
                    return
                }
            }
        }
    }

    private mutating func rebuild(from parsed: [Member], repeated: (String) -> Void) {
        members = []
        positions = [:]
        members.reserveCapacity(parsed.count)
        for member in parsed where insertOrReplace(member.key, member.value) {
            repeated(member.key)
        }
    }

    /// The number of members.
    public var count: Int { members.count }

    /// The keys in order (a new array).
    public var keys: [String] { members.map(\.key) }

    /// The values in key order (a new array).
    public var values: [JSONValue] { members.map(\.value) }

    /// The position of `key`, or nil.
    public func index(forKey key: String) -> Int? {
        if members.count <= JSONObject.linearSearchLimit {
            return members.firstIndex { ExactString.equal($0.key, key) }
        }
        return positions[ExactString(key)]
    }

    /// The value of `key`; setting a new key appends it, setting nil removes the key (Python `del`).
    public subscript(key: String) -> JSONValue? {
        get { index(forKey: key).map { members[$0].value } }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Sets the value of `key` (in place when present, appended otherwise) and returns the old value.
    @discardableResult
    public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
        if let position = index(forKey: key) {
            let old = members[position].value
            members[position].value = value
            return old
        }
        append(key, value)
        return nil
    }

    /// Removes `key` and returns its value; later members move up by one.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = index(forKey: key) else { return nil }
        let old = members.remove(at: position).value
        rebuildIndex()
        return old
    }

    /// Reserves room for `capacity` members.
    public mutating func reserveCapacity(_ capacity: Int) {
        members.reserveCapacity(capacity)
    }

    /// Python `d[key] = value`; returns true when the key was already present.
    @discardableResult
    mutating func insertOrReplace(_ key: String, _ value: JSONValue) -> Bool {
        if let position = index(forKey: key) {
            members[position].value = value
            return true
        }
        append(key, value)
        return false
    }

    private mutating func append(_ key: String, _ value: JSONValue) {
        members.append(Member(key: key, value: value))
        if members.count > JSONObject.linearSearchLimit {
            if positions.isEmpty {
                rebuildIndex()
            } else {
                positions[ExactString(key)] = members.count - 1
            }
        }
    }

    private mutating func rebuildIndex() {
        positions.removeAll(keepingCapacity: true)
        guard members.count > JSONObject.linearSearchLimit else { return }
        positions.reserveCapacity(members.count)
        for (position, member) in members.enumerated() {
            positions[ExactString(member.key)] = position
        }
    }
}

extension JSONObject: RandomAccessCollection {
    /// A member: its key and value.
    public typealias Element = (key: String, value: JSONValue)

    /// 0.
    public var startIndex: Int { 0 }
    /// The number of members.
    public var endIndex: Int { members.count }

    /// The member at `position` (0-based, in order); traps outside `0..<count` like an array.
    public subscript(position: Int) -> (key: String, value: JSONValue) {
        let member = members[position]
        return (member.key, member.value)
    }
}

extension JSONObject: Hashable {
    /// The same members, scalar-exact keys and equal values, in the same order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for position in 0..<lhs.count {
            guard ExactString.equal(lhs.members[position].key, rhs.members[position].key),
                  lhs.members[position].value == rhs.members[position].value else { return false }
        }
        return true
    }

    /// Hashes consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for member in members {
            ExactString.hash(member.key, into: &hasher)
            hasher.combine(member.value)
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object from a literal; a repeated key keeps its first position and last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: CustomStringConvertible {
    /// The object as `json.dumps` writes it.
    public var description: String { JSONWriter.dumps(.object(self)) }
}
