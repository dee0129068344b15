/// The name a model sees for an MCP tool: `mcp__<server>__<tool>`, as pi's ancestors and Claude
/// Code spell it. Server names may not contain `__`, so the first `__` after the prefix splits
/// the two unambiguously; the tool's own name is kept as the server lists it.
public enum MCPToolName {
    public static let prefix = "mcp__"

    public static func make(server: String, tool: String) -> String {
        prefix + server + "__" + tool
    }

    /// The server and tool of a model-visible name, or nil when `name` is not an MCP tool name.
    public static func parse(_ name: String) -> (server: String, tool: String)? {
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        guard let split = rest.firstRange(of: "__") else { return nil }
        let server = String(rest[..<split.lowerBound])
        let tool = String(rest[split.upperBound...])
        guard !server.isEmpty, !tool.isEmpty else { return nil }
        return (server, tool)
    }

    /// The bytes a model-visible tool name may hold (OpenAI's function names: letters, digits,
    /// `_` and `-`); server names in `mcp.toml` use the same ones.
    public static func allows(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
}
