/// One way a value fails a schema: where (a path from the value's root, such as `.items[2].name`)
/// and what was expected.
struct JSONSchemaProblem: Sendable, Equatable {
    /// The location below the root: `""` for the root itself, `.name`, `[2]`, `["a b"]`.
    var path: String
    var message: String
    /// Set when the problem is only that the value has the wrong type, so the alternatives of an
    /// `anyOf` can be told as one ("expected a string or null").
    var expectedTypes: [JSONSchemaType]?

    func rendered(root: String) -> String {
        "\(root)\(path): \(message)"
    }

    /// `.name` for a plain identifier, otherwise `["…"]` with the name JSON-escaped.
    static func member(_ name: String, of path: String) -> String {
        let identifier = name.unicodeScalars.first.map { !("0"..."9").contains($0) } ?? false
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
        return identifier ? path + "." + name : path + "[" + JSONValue.string(name).rendered + "]"
    }

    static func item(_ index: Int, of path: String) -> String {
        path + "[\(index)]"
    }

    /// "a string", "a string or null", "a string, a number or null".
    static func phrase(_ types: [JSONSchemaType]) -> String {
        var unique: [JSONSchemaType] = []
        for type in types where !unique.contains(type) { unique.append(type) }
        let phrases = unique.map(\.phrase)
        guard phrases.count > 1 else { return phrases.first ?? "nothing" }
        return phrases.dropLast().joined(separator: ", ") + " or " + (phrases.last ?? "")
    }
}
