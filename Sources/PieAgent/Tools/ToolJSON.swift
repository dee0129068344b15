/// The tools' JSON: the parsed arguments of a call, the schema sent to models and the `details`
/// metadata of a result. It is the session layer's ordered value, so rendered schemas and details
/// keep their keys in the order written (byte-stable for prompt caches and golden tests) and a
/// result's details are stored in the session unchanged.
public typealias ToolJSON = JSONValue

/// An ordered JSON object (the session layer's).
public typealias ToolJSONObject = JSONObject

extension JSONValue {
    /// Integers print without a fraction so `limit: 100` stays `100` when rendered.
    public static func integer(_ value: Int) -> JSONValue { .number(Double(value)) }

    /// A short description of the value's type and content, for validation errors.
    var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool(let value): "boolean \(value)"
        case .number(let value): "number \(Self.format(value))"
        case .string(let value):
            // JSON-escaped so a newline or control character in the value cannot break the message.
            value.count > 40
                ? "string " + JSONValue.string(String(value.prefix(40))).rendered + "…"
                : "string " + JSONValue.string(value).rendered
        case .array: "array"
        case .object: "object"
        }
    }

    /// Compact JSON with keys in insertion order.
    public var rendered: String { JSONWriter.string(self) }

    /// A number as JSON writes it.
    static func format(_ value: Double) -> String {
        var bytes: [UInt8] = []
        JSONWriter.writeNumber(value, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension JSONObject {
    /// An object from `(key, value)` pairs in order.
    public init(_ pairs: [(String, JSONValue)]) {
        self.init(pairs.map { Member($0.0, $0.1) })
    }

    public var isEmpty: Bool { members.isEmpty }
}
