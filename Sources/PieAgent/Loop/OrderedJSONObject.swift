import PieLocal

/// A JSON object that keeps its keys in insertion order, so `--mode json` lines start with
/// `type` and read naturally. Nested values are written by `JSONWriter` (sorted keys).
struct OrderedJSONObject: Sendable {
    private var members: [(String, PieLocal.JSONValue)]

    init(_ members: [(String, PieLocal.JSONValue)]) {
        self.members = members
    }

    var string: String {
        let body = members.map { key, value in
            PieLocal.JSONWriter.string(.string(key)) + ":" + PieLocal.JSONWriter.string(value)
        }
        return "{" + body.joined(separator: ",") + "}"
    }
}
