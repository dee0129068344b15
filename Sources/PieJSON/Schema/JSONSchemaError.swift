/// A schema pie refuses to compile. pie checks arguments against a schema before a tool runs; a
/// keyword it does not understand would go unchecked, so the whole schema is refused instead
/// ("what is not known is not allowed"), naming the keyword and where it is.
public struct JSONSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where in the schema document, as a JSON Pointer fragment (`#/properties/when`).
    public var location: String
    /// The keyword at fault, when one is.
    public var keyword: String?
    /// What is wrong and what to do.
    public var reason: String

    public init(location: String, keyword: String?, reason: String) {
        self.location = location
        self.keyword = keyword
        self.reason = reason
    }

    public var description: String {
        if let keyword { return "JSON Schema keyword '\(keyword)' at \(location): \(reason)" }
        return "JSON Schema at \(location): \(reason)"
    }

    static func unsupported(_ keyword: String, at location: String) -> JSONSchemaError {
        JSONSchemaError(
            location: location, keyword: keyword,
            reason: "not supported, so pie could not check what the server expects; the schema is refused "
                + "(supported keywords: docs/tools.md, \"MCP tools' arguments\")")
    }

    static func invalid(_ keyword: String, at location: String, _ expectation: String) -> JSONSchemaError {
        JSONSchemaError(location: location, keyword: keyword, reason: "must be \(expectation)")
    }
}
