extension JSONValue {
    /// "an object", "a string", … for refusals of a schema's own shape.
    var kindPhrase: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as a problem names it: "the number 3", "the string \"ab\"" (JSON-escaped and cut
    /// at 40 characters, so a long or multi-line value cannot swamp or break the message).
    var problemPhrase: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "the boolean \(flag)"
        case .number(let number): "the number \(JSONWriter.number(number))"
        case .string(let text): "the string \(Self.quotedPrefix(text))"
        case .array(let items): items.count == 1 ? "an array of 1 item" : "an array of \(items.count) items"
        case .object: "an object"
        }
    }

    /// Compact JSON for a value a schema names (an `enum` member, a `const`), cut at 60 characters.
    var shortRendering: String {
        let text = rendered
        guard text.unicodeScalars.count > 60 else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(60))) + "…"
    }

    static func quotedPrefix(_ text: String) -> String {
        guard text.unicodeScalars.count > 40 else { return JSONValue.string(text).rendered }
        return JSONValue.string(String(String.UnicodeScalarView(text.unicodeScalars.prefix(40)))).rendered + "…"
    }
}
