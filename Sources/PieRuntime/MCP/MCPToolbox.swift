import PieAgent
import PieJSON
import PieMCP
import PiePolicy

/// The MCP servers of one run, started, and their tools as pie tools.
///
/// A server that cannot start, or a tool that cannot be offered (a name a model cannot call, a
/// schema pie cannot check), is left out with a warning naming it: the run goes on with what
/// works, as the built-in tools do when a backend is missing. The tool list is fixed for the
/// run; a server's `tools/list_changed` is picked up by the next run.
public final class MCPToolbox: Sendable {
    public let tools: [any AgentTool]
    public let connections: [MCPServerConnection]
    public let warnings: [String]

    /// Longest tool name the model providers accept (OpenAI's function names: 64 characters of
    /// letters, digits, `_` and `-`).
    static let maximumNameLength = 64
    /// Descriptions come from the server: capped, and labelled with where they come from.
    static let maximumDescriptionLength = 2_000

    public init(tools: [any AgentTool], connections: [MCPServerConnection], warnings: [String]) {
        self.tools = tools
        self.connections = connections
        self.warnings = warnings
    }

    public static let empty = MCPToolbox(tools: [], connections: [], warnings: [])

    /// Starts every server side by side and lists its tools.
    public static func start(_ servers: [MCPServerConfig], launcher: MCPServerLauncher) async -> MCPToolbox {
        let started = await withTaskGroup(of: (Int, ServerTools).self) { group in
            for (index, server) in servers.enumerated() {
                group.addTask { (index, await ServerTools.start(server, launcher: launcher)) }
            }
            var results: [(Int, ServerTools)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return MCPToolbox(
            tools: started.flatMap(\.tools), connections: started.compactMap(\.connection),
            warnings: started.flatMap(\.warnings))
    }

    /// Stops every server (stdin closed, SIGTERM, then SIGKILL).
    public func close() async {
        for connection in connections { await connection.close() }
    }

    /// What one server contributed.
    struct ServerTools: Sendable {
        var connection: MCPServerConnection?
        var tools: [any AgentTool] = []
        var warnings: [String] = []

        static func start(_ server: MCPServerConfig, launcher: MCPServerLauncher) async -> ServerTools {
            var result = ServerTools()
            let connection: MCPServerConnection
            do {
                connection = try launcher.connection(for: server)
            } catch {
                result.warnings.append("MCP server '\(server.name)' not started: \(error.message)")
                return result
            }
            let listed: [MCPTool]
            do {
                try await connection.start()
                listed = try await connection.listTools()
            } catch {
                result.warnings.append("MCP server '\(server.name)' not started: \(error.message) (run `pie mcp doctor \(server.name)`)")
                await connection.close()
                return result
            }
            result.connection = connection
            for tool in listed where server.tools.offers(tool.name) {
                switch agentTool(tool, server: server, connection: connection) {
                case .success(let made): result.tools.append(made)
                case .failure(let problem): result.warnings.append("MCP tool '\(tool.name)' of '\(server.name)' not offered: \(problem.message)")
                }
            }
            return result
        }
    }

    static func agentTool(
        _ tool: MCPTool, server: MCPServerConfig, connection: MCPServerConnection
    ) -> Result<MCPAgentTool, MCPConfigError> {
        check(tool, server: server).map { schema in
            var description = tool.description ?? tool.title ?? ""
            if description.count > maximumDescriptionLength {
                description = String(description.prefix(maximumDescriptionLength)) + "…"
            }
            return MCPAgentTool(
                server: server.name, tool: tool, name: MCPToolName.make(server: server.name, tool: tool.name),
                description: "[MCP server '\(server.name)', tool '\(tool.name)'] \(description)", schema: schema,
                connection: connection, timeoutMilliseconds: server.requestTimeoutMilliseconds)
        }
    }

    /// Whether `tool` can be offered to a model: a name models accept, and an input schema pie
    /// can check every call against (its compiled form, or why not).
    public static func check(_ tool: MCPTool, server: MCPServerConfig) -> Result<ToolSchema, MCPConfigError> {
        let name = MCPToolName.make(server: server.name, tool: tool.name)
        guard name.utf8.count <= maximumNameLength, tool.name.utf8.allSatisfy(MCPToolName.allows) else {
            return .failure(MCPConfigError(
                "'\(name)' is not a name models accept (at most \(maximumNameLength) letters, digits, _ and -); "
                    + "shorten the server's name in mcp.toml or leave the tool out with tools.deny"))
        }
        do {
            return .success(try ToolSchema(external: try JSONSchema.compile(tool.inputSchema)))
        } catch {
            return .failure(MCPConfigError("its input schema cannot be checked: \(error)"))
        }
    }
}
