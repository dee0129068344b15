/// A JSON object: its members in order. Lookups scan the members (from the last, so a repeated
/// name reads as its last value, as in JavaScript): the objects pie reads by key have a handful of
/// members, where a scan beats hashing and keeps the order the writer chose. Stream chunks, the
/// one hot path that reads many objects, are read in place through `JSONElement` instead.
public struct JSONObject: Sendable {
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var members: [Member]

    public init(_ members: [Member] = []) {
        self.members = members
    }

    /// An object from `(key, value)` pairs in order; a repeated key replaces the earlier value in
    /// its position.
    public init(_ pairs: [(String, JSONValue)]) {
        members = []
        members.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        self.init(pairs.map { ($0.key, $0.value) })
    }

    public var keys: [String] { members.map(\.key) }
    public var isEmpty: Bool { members.isEmpty }
    public var count: Int { members.count }

    /// Whether two names are the same name: byte for byte, as every other JSON reader compares
    /// them. `String` equality takes canonically equivalent names as one (`K` and the Kelvin sign
    /// U+212A, a composed and a decomposed `é`), so pie would read a member by a name that the
    /// program it passes the object to sees as another.
    static func sameName(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    /// Reading returns the last member named `key`; assigning replaces it in place (keeping its
    /// position), appends a new key at the end, or removes every member so named when given nil.
    public subscript(key: String) -> JSONValue? {
        get {
            var index = members.endIndex
            while index > members.startIndex {
                index -= 1
                if Self.sameName(members[index].key, key) { return members[index].value }
            }
            return nil
        }
        set {
            guard let newValue else {
                members.removeAll { Self.sameName($0.key, key) }
                return
            }
            if let index = members.lastIndex(where: { Self.sameName($0.key, key) }) {
                members[index].value = newValue
            } else {
                members.append(Member(key, newValue))
            }
        }
    }

    /// The object with every value transformed, keys and order kept.
    public func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        JSONObject(try members.map { Member($0.key, try transform($0.value)) })
    }
}

/// Iterates `(key, value)` pairs in order, like a dictionary.
extension JSONObject: Sequence {
    public struct Iterator: IteratorProtocol {
        var members: IndexingIterator<[Member]>

        public mutating func next() -> (key: String, value: JSONValue)? {
            members.next().map { (key: $0.key, value: $0.value) }
        }
    }

    public func makeIterator() -> Iterator { Iterator(members: members.makeIterator()) }

    public var underestimatedCount: Int { members.count }
}

/// Two objects are equal when they have the same names with equal values, in any order: the
/// order is presentation, as it was for the dictionaries this type replaced.
extension JSONObject: Hashable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        if lhs.members == rhs.members { return true }
        let names = Set(lhs.members.map(\.key))
        guard names == Set(rhs.members.map(\.key)) else { return false }
        return names.allSatisfy { lhs[$0] == rhs[$0] }
    }

    /// The names only, which equal objects share whatever their order.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(Set(members.map(\.key)))
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}
