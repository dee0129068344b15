extension JSONValue {
    /// This value as `JSONWriter` writes it with `.sorted` keys, built directly: stores that keep
    /// payloads with sorted keys (session messages) get them without writing text to read back.
    ///
    /// Throws the line parser's error when the value nests deeper than `maxDepth` levels, so
    /// nothing is stored that `JSONParser.parseLine` would refuse to read.
    public func sortingKeys(maxDepth: Int = JSONParser.maxLineDepth) throws(JSONParseError) -> JSONValue {
        try sortingKeys(depth: 0, maxDepth: maxDepth)
    }

    private func sortingKeys(depth: Int, maxDepth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < maxDepth else { throw JSONParseError(reason: "nesting deeper than \(maxDepth) levels", offset: nil) }
        switch self {
        case .null, .bool, .number, .string: return self
        case .array(let items):
            var sorted: [JSONValue] = []
            sorted.reserveCapacity(items.count)
            for item in items { sorted.append(try item.sortingKeys(depth: depth + 1, maxDepth: maxDepth)) }
            return .array(sorted)
        case .object(let object):
            var members: [JSONObject.Member] = []
            members.reserveCapacity(object.count)
            for member in object.sortedLastOfEachName {
                members.append(JSONObject.Member(member.key, try member.value.sortingKeys(depth: depth + 1, maxDepth: maxDepth)))
            }
            return .object(JSONObject(members))
        }
    }
}

extension JSONObject {
    /// Members sorted by name, a repeated name once with its last value (as a lookup reads it).
    var sortedLastOfEachName: [Member] {
        var seen = Set<String>()
        return members.reversed().filter { seen.insert($0.key).inserted }.sorted { $0.key < $1.key }
    }
}

extension JSONParser {
    /// The deepest nesting a session or audit line may have (`parseLine` refuses more).
    public static let maxLineDepth = JSONScanner.Rules.lines.maxDepth
}
