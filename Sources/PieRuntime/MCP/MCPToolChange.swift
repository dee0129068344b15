import PieMCP

/// How one server's tools changed while a session ran (docs/mcp.md, "When a server's tools
/// change"): the model-visible names added, removed and changed (same name, another description
/// or schema), and the listed tools that were left out and why. The model learns of it through
/// the next request's tool list; people through this line.
public struct MCPToolChange: Sendable, Equatable, CustomStringConvertible {
    public var server: String
    public var added: [String]
    public var removed: [String]
    public var changed: [String]
    public var warnings: [String]

    public init(server: String, added: [String] = [], removed: [String] = [], changed: [String] = [], warnings: [String] = []) {
        self.server = server
        self.added = added
        self.removed = removed
        self.changed = changed
        self.warnings = warnings
    }

    init(server: String, before: [MCPAgentTool], after: [MCPAgentTool], warnings: [String]) {
        let old = Dictionary(before.map { ($0.name, $0.tool) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(after.map { ($0.name, $0.tool) }, uniquingKeysWith: { first, _ in first })
        self.init(
            server: server,
            added: after.map(\.name).filter { old[$0] == nil },
            removed: before.map(\.name).filter { new[$0] == nil },
            changed: after.map(\.name).filter { name in old[name].map { $0 != new[name] } ?? false },
            warnings: warnings)
    }

    /// No tool came, went or changed.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    public var description: String {
        var parts: [String] = []
        if !added.isEmpty { parts.append("now offered: " + added.joined(separator: ", ")) }
        if !removed.isEmpty { parts.append("no longer offered: " + removed.joined(separator: ", ")) }
        if !changed.isEmpty { parts.append("changed: " + changed.joined(separator: ", ")) }
        parts += warnings
        return "MCP server '\(server)' changed its tools; " + (parts.isEmpty ? "the list is the same" : parts.joined(separator: "; "))
    }
}
