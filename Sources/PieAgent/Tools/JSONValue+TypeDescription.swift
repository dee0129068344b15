import PieJSON

extension JSONValue {
    /// A short description of the value's type and content, for validation errors.
    var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool(let value): "boolean \(value)"
        case .number(let value): "number \(JSONWriter.number(value))"
        case .string(let value):
            // JSON-escaped so a newline or control character in the value cannot break the message.
            value.count > 40
                ? "string " + JSONValue.string(String(value.prefix(40))).rendered + "…"
                : "string " + JSONValue.string(value).rendered
        case .array: "array"
        case .object: "object"
        }
    }
}
