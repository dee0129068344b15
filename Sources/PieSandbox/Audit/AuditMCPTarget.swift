import PieJSON

/// Which MCP server and tool a call went to, on the `decision`, `approval` and `completion`
/// records of an MCP tool (`"mcp": {"server": …, "tool": …}`): the tool name the model used
/// (`mcp__SERVER__TOOL`) says the same, but a reviewer filtering by server should not have to
/// split names.
public struct AuditMCPTarget: Sendable, Equatable {
    public var server: String
    public var tool: String

    public init(server: String, tool: String) {
        self.server = server
        self.tool = tool
    }

    var json: JSONValue {
        .object(JSONObject([("server", .string(server)), ("tool", .string(tool))]))
    }

    init?(json: JSONValue) {
        guard let server = json["server"]?.stringValue, let tool = json["tool"]?.stringValue else { return nil }
        self.init(server: server, tool: tool)
    }
}
