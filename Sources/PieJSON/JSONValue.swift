/// A JSON document as a value: request bodies, responses, tool arguments and results, session
/// lines, audit records, reports. Objects are `JSONObject`s and keep their members in the order
/// they were parsed or added, so what pie writes reads naturally (`type` first) and is byte-stable.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// An integer as a number; counts, limits and exit codes print without a fraction.
    public static func integer(_ value: Int) -> JSONValue { .number(Double(value)) }

    /// Member lookup for objects (the last member with `key`, as JavaScript's `JSON.parse`
    /// keeps); nil for every other case or a missing key.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var doubleValue: Double? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// Integral numbers only; token counts and ports are never fractional, and above 2^53 a
    /// double no longer holds every integer.
    public var intValue: Int? {
        guard case .number(let number) = self, number.rounded() == number,
              abs(number) < JSONNumber.exactIntegerLimit else { return nil }
        return Int(number)
    }

    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let members) = self { return members }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Compact JSON, members in insertion order.
    public var rendered: String { JSONWriter.string(self) }

    /// JSON with members in insertion order; `pretty` indents by two spaces, one member per line.
    public func rendered(pretty: Bool) -> String { JSONWriter.string(self, pretty: pretty) }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}
