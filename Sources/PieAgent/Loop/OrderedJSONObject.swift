import PieLocal

/// A JSON object that keeps its keys in insertion order, so `--mode json` lines start with
/// `type` and read naturally. Nested values are written by `JSONWriter` (sorted keys).
struct OrderedJSONObject: Sendable {
    private var members: [(String, JSONValue)]

    init(_ members: [(String, JSONValue)]) {
        self.members = members
    }

    var string: String {
        let body = members.map { key, value in
            JSONWriter.string(.string(key)) + ":" + JSONWriter.string(value)
        }
        return "{" + body.joined(separator: ",") + "}"
    }
}
