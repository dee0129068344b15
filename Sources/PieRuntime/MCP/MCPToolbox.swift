import PieAgent
import PieJSON
import PieMCP
import PiePolicy
import Synchronization

/// The MCP servers of one run, started, and their tools as pie tools.
///
/// A server that cannot start, or a tool that cannot be offered (a name a model cannot call, a
/// schema pie cannot check), is left out with a warning naming it: the run goes on with what
/// works, as the built-in tools do when a backend is missing.
///
/// A server's tool list may change while the session runs (`notifications/tools/list_changed`,
/// or a restart after it died). `refresh()` lists such a server again and re-checks every tool
/// the way `start` did; `toolRefresher` does that before each model request, so the next
/// request offers the new list and a reply's calls always run against the list the model saw.
public final class MCPToolbox: Sendable {
    public let connections: [MCPServerConnection]
    public let warnings: [String]

    /// Longest tool name the model providers accept (OpenAI's function names: 64 characters of
    /// letters, digits, `_` and `-`).
    static let maximumNameLength = 64
    /// Descriptions come from the server: capped, and labelled with where they come from.
    static let maximumDescriptionLength = 2_000

    /// The started servers, in configuration order.
    private let servers: [(config: MCPServerConfig, connection: MCPServerConnection)]
    /// What each server offers now, by server name.
    private let offered: Mutex<[String: Offer]>

    /// One server's tools as last listed, and the stamp they were listed at.
    struct Offer: Sendable {
        var stamp: MCPToolListStamp
        var tools: [MCPAgentTool]
        /// The stamp whose listing failed and was reported, so a server that stays down is
        /// reported once, not before every request.
        var failedStamp: MCPToolListStamp?
    }

    init(started: [ServerTools], warnings: [String]) {
        var servers: [(MCPServerConfig, MCPServerConnection)] = []
        var offers: [String: Offer] = [:]
        for server in started {
            guard let connection = server.connection, let stamp = server.stamp else { continue }
            servers.append((server.config, connection))
            offers[server.config.name] = Offer(stamp: stamp, tools: server.tools)
        }
        self.servers = servers
        self.connections = servers.map(\.1)
        self.offered = Mutex(offers)
        self.warnings = warnings
    }

    public static let empty = MCPToolbox(started: [], warnings: [])

    /// The same servers, with `warnings` said first (the configuration's).
    public func adding(warnings earlier: [String]) -> MCPToolbox {
        MCPToolbox(servers: servers, offered: offered.withLock { $0 }, warnings: earlier + warnings)
    }

    private init(
        servers: [(config: MCPServerConfig, connection: MCPServerConnection)], offered: [String: Offer], warnings: [String]
    ) {
        self.servers = servers
        self.connections = servers.map(\.connection)
        self.offered = Mutex(offered)
        self.warnings = warnings
    }

    /// Every tool offered now, server by server in configuration order.
    public var tools: [any AgentTool] {
        let offers = offered.withLock { $0 }
        return servers.flatMap { offers[$0.config.name]?.tools ?? [] }
    }

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
        return MCPToolbox(started: started, warnings: started.flatMap(\.warnings))
    }

    /// Starts connections made elsewhere (tests: an in-memory server), one after the other.
    static func start(_ servers: [(MCPServerConfig, MCPServerConnection)]) async -> MCPToolbox {
        var started: [ServerTools] = []
        for (config, connection) in servers { started.append(await ServerTools.start(config, connection: connection)) }
        return MCPToolbox(started: started, warnings: started.flatMap(\.warnings))
    }

    /// Stops every server (stdin closed, SIGTERM, then SIGKILL).
    public func close() async {
        for connection in connections { await connection.close() }
    }

    // MARK: Changes while running

    /// Lists again every server whose tool list changed since it was last listed (all pages),
    /// re-checks each tool as `start` does (name rules, schema, the `tools` filter) and keeps
    /// the result; returns what changed. A server that cannot be listed (it is restarting)
    /// keeps its tools, whose calls then fail with the reason, and is tried again next time.
    public func refresh() async -> [MCPToolChange] {
        var changes: [MCPToolChange] = []
        for (config, connection) in servers {
            let stamp = await connection.toolListStamp()
            guard let before = offered.withLock({ $0[config.name] }), before.stamp != stamp else { continue }
            let listed: [MCPTool]
            do {
                listed = try await connection.listTools()
            } catch {
                guard before.failedStamp != stamp else { continue }
                offered.withLock { $0[config.name]?.failedStamp = stamp }
                changes.append(
                    MCPToolChange(
                        server: config.name,
                        warnings: ["its tools changed but could not be listed again: \(error.message); its current tools are kept"]))
                continue
            }
            var made = ServerTools(config: config)
            made.add(listed, connection: connection)
            let change = MCPToolChange(server: config.name, before: before.tools, after: made.tools, warnings: made.warnings)
            offered.withLock { offers in
                offers[config.name] = Offer(stamp: stamp, tools: change.isEmpty ? before.tools : made.tools)
            }
            if !change.isEmpty || !change.warnings.isEmpty { changes.append(change) }
        }
        return changes
    }

    /// `runner` with its MCP tools replaced by the ones offered now, in their place; nil when
    /// they are the same tools already.
    public func replacingTools(in runner: ToolRunner) -> ToolRunner? {
        let current = tools.compactMap { $0 as? MCPAgentTool }
        let inUse = runner.tools.compactMap { $0 as? MCPAgentTool }
        guard current.map(\.identity) != inUse.map(\.identity) else { return nil }
        var others = runner.tools.filter { !($0 is MCPAgentTool) }
        let position = runner.tools.firstIndex { $0 is MCPAgentTool }.map { index in
            runner.tools[..<index].filter { !($0 is MCPAgentTool) }.count
        } ?? others.count
        others.insert(contentsOf: current as [any AgentTool], at: position)
        return ToolRunner(tools: others, context: runner.context)
    }

    /// The agent loop's `AgentHooks.refreshTools`: before each model request, `refresh()`, each
    /// change told to `onChange` (the terminal, serve's log), then `replacingTools(in:)`.
    public func toolRefresher(
        onChange: @escaping @Sendable (MCPToolChange) -> Void
    ) -> @Sendable (ToolRunner) async -> ToolRunner? {
        { runner in
            for change in await self.refresh() { onChange(change) }
            return self.replacingTools(in: runner)
        }
    }

    // MARK: Making tools

    /// What one server contributed.
    struct ServerTools: Sendable {
        var config: MCPServerConfig
        var connection: MCPServerConnection?
        /// The tool list's stamp taken before it was listed: a change during the listing shows
        /// as a different stamp later and is listed again.
        var stamp: MCPToolListStamp?
        var tools: [MCPAgentTool] = []
        var warnings: [String] = []

        static func start(_ server: MCPServerConfig, launcher: MCPServerLauncher) async -> ServerTools {
            let connection: MCPServerConnection
            do {
                connection = try launcher.connection(for: server)
            } catch {
                return ServerTools(config: server, warnings: ["MCP server '\(server.name)' not started: \(error.message)"])
            }
            return await start(server, connection: connection)
        }

        /// Starts `connection` (made for `server`) and lists its tools.
        static func start(_ server: MCPServerConfig, connection: MCPServerConnection) async -> ServerTools {
            var result = ServerTools(config: server)
            let listed: [MCPTool]
            let stamp: MCPToolListStamp
            do {
                try await connection.start()
                stamp = await connection.toolListStamp()
                listed = try await connection.listTools()
            } catch {
                result.warnings.append("MCP server '\(server.name)' not started: \(error.message) (run `pie mcp doctor \(server.name)`)")
                await connection.close()
                return result
            }
            result.connection = connection
            result.stamp = stamp
            result.add(listed, connection: connection)
            return result
        }

        /// The listed tools that pass the `tools` filter and `check`; the others are warnings.
        mutating func add(_ listed: [MCPTool], connection: MCPServerConnection) {
            for tool in listed where config.tools.offers(tool.name) {
                switch agentTool(tool, server: config, connection: connection) {
                case .success(let made): tools.append(made)
                case .failure(let problem):
                    warnings.append("MCP tool '\(tool.name)' of '\(config.name)' not offered: \(problem.message)")
                }
            }
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
