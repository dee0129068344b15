import PieJSON

/// One tool from `tools/list`: its name, what it does and the JSON Schema of its arguments.
public struct MCPTool: Sendable, Equatable {
    public var name: String
    public var title: String?
    public var description: String?
    /// The schema of the `arguments` object (always `type: object` in MCP).
    public var inputSchema: JSONValue
    public var outputSchema: JSONValue?
    /// Hints (`readOnlyHint`, `destructiveHint`, …): the server's claims, never trusted for policy.
    public var annotations: JSONValue?

    public init(
        name: String, title: String? = nil, description: String? = nil, inputSchema: JSONValue,
        outputSchema: JSONValue? = nil, annotations: JSONValue? = nil
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.annotations = annotations
    }

    init(json: JSONValue) throws(JSONRPCShapeError) {
        guard let name = json["name"]?.stringValue, !name.isEmpty else { throw JSONRPCShapeError("a tool without a name") }
        guard let schema = json["inputSchema"], schema.objectValue != nil else {
            throw JSONRPCShapeError("tool '\(name)' has no inputSchema object")
        }
        self.init(
            name: name, title: json["title"]?.stringValue, description: json["description"]?.stringValue,
            inputSchema: schema, outputSchema: json["outputSchema"], annotations: json["annotations"])
    }
}

/// The result of `tools/call`. `isError` true is the tool's own failure (the model should see it);
/// a JSON-RPC error is a protocol failure and arrives as `MCPError` instead.
public struct MCPToolResult: Sendable, Equatable {
    public var content: [MCPContent]
    public var structuredContent: JSONValue?
    public var isError: Bool

    public init(content: [MCPContent], structuredContent: JSONValue? = nil, isError: Bool = false) {
        self.content = content
        self.structuredContent = structuredContent
        self.isError = isError
    }

    init(json: JSONValue) throws(JSONRPCShapeError) {
        guard json.objectValue != nil else { throw JSONRPCShapeError("a tools/call result that is not an object") }
        let blocks = json["content"]?.arrayValue ?? []
        var content: [MCPContent] = []
        for block in blocks { content.append(try MCPContent(json: block)) }
        self.init(
            content: content, structuredContent: json["structuredContent"], isError: json["isError"]?.boolValue ?? false)
    }

    /// The text blocks joined by newlines: what a model reads when it reads only text.
    public var text: String {
        content.compactMap { if case .text(let text) = $0 { text } else { nil } }.joined(separator: "\n")
    }
}
