import PieJSON

/// What a server said about itself in its `initialize` result, kept for `pie mcp doctor`, the
/// tool list and the system prompt (`instructions` are the server's words: data, not pie's).
public struct MCPServerInfo: Sendable, Equatable {
    public var name: String
    public var version: String
    public var title: String?
    /// The revision both sides speak from now on (one of `MCPProtocolVersion.accepted`).
    public var protocolVersion: String
    /// The server's `capabilities` object as sent (`tools`, `resources`, `prompts`, `logging`, …).
    public var capabilities: JSONObject
    public var instructions: String?

    public init(
        name: String, version: String, title: String? = nil, protocolVersion: String, capabilities: JSONObject,
        instructions: String? = nil
    ) {
        self.name = name
        self.version = version
        self.title = title
        self.protocolVersion = protocolVersion
        self.capabilities = capabilities
        self.instructions = instructions
    }

    /// Whether the server declared `capability` (`tools`, `resources`, `prompts`, …).
    public func offers(_ capability: String) -> Bool { capabilities[capability]?.objectValue != nil }

    /// Whether `capability.flag` is true (`tools.listChanged`, `resources.subscribe`).
    public func declares(_ capability: String, _ flag: String) -> Bool {
        capabilities[capability]?[flag]?.boolValue == true
    }
}
