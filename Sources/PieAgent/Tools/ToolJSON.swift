import PiePolicy

/// A JSON value as the tools see it: the parsed arguments of a call, the schema sent to models and
/// the `details` metadata of a result.
///
/// Objects keep their keys in insertion order so rendered schemas and details are byte-stable,
/// which matters for prompt caching and for golden tests.
public enum ToolJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ToolJSON])
    case object(ToolJSONObject)

    /// Integers print without a fraction so `limit: 100` stays `100` when rendered.
    public static func integer(_ value: Int) -> ToolJSON { .number(Double(value)) }

    /// A short description of the value's type and content, for validation errors.
    var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool(let value): "boolean \(value)"
        case .number(let value): "number \(Self.format(value))"
        case .string(let value):
            // JSON-escaped so a newline or control character in the value cannot break the message.
            value.count > 40
                ? "string " + ToolJSON.string(String(value.prefix(40))).rendered + "…"
                : "string " + ToolJSON.string(value).rendered
        case .array: "array"
        case .object: "object"
        }
    }

    /// Renders compact JSON with keys in insertion order.
    public var rendered: String {
        var out = ""
        render(into: &out)
        return out
    }

    private func render(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value): out += Self.format(value)
        case .string(let value): Self.renderString(value, into: &out)
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.render(into: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            for (index, member) in object.members.enumerated() {
                if index > 0 { out += "," }
                Self.renderString(member.key, into: &out)
                out += ":"
                member.value.render(into: &out)
            }
            out += "}"
        }
    }

    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return String(Int(value))
        }
        return String(value)
    }

    private static func renderString(_ value: String, into out: inout String) {
        OrderedJSON.escape(value, into: &out)
    }
}

/// A JSON object with ordered, unique keys.
public struct ToolJSONObject: Sendable, Equatable {
    public private(set) var members: [(key: String, value: ToolJSON)]

    public init(_ members: [(key: String, value: ToolJSON)] = []) {
        self.members = []
        for member in members { self[member.key] = member.value }
    }

    public var keys: [String] { members.map(\.key) }
    public var isEmpty: Bool { members.isEmpty }

    /// Reading returns the value for `key`; writing replaces it in place or appends it, and
    /// writing nil removes it.
    public subscript(key: String) -> ToolJSON? {
        get { members.first { $0.key == key }?.value }
        set {
            let index = members.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append((key, value))
            case (nil, nil): break
            }
        }
    }

    public static func == (lhs: ToolJSONObject, rhs: ToolJSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
