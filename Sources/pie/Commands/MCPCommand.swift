import ArgumentParser
import Glibc
import PieAgent
import PieJSON
import PieLocal
import PieMCP
import PiePolicy
import PieRuntime

/// `pie mcp …`: the MCP servers of `~/.pie/mcp.toml` and the project's `.pie/mcp.toml`.
struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "List, trust and inspect MCP servers (docs/mcp.md).",
        subcommands: [
            MCPListCommand.self, MCPToolsCommand.self, MCPCallCommand.self, MCPDoctorCommand.self, MCPTrustCommand.self,
        ])
}

/// Where the configuration files are, for every `pie mcp` subcommand.
struct MCPLocation: ParsableArguments {
    @Option(help: "The project directory (default: the current directory).")
    var cwd: String?

    func stateDirectory() throws(PieExit) -> String {
        guard let state = PieEnvironment(ProcessContext.environment()).stateDirectory else {
            throw PieExit.usage("neither PIE_DIR nor HOME is set; pie cannot find mcp.toml")
        }
        return state
    }

    var projectRoot: String {
        get throws {
            let here = try ProcessContext.currentDirectory()
            return cwd.map { PathNormalizer.join(here, $0) } ?? here
        }
    }

    /// The servers that may start, or just `name` among them (an error naming the others when
    /// there is no such server, or when it is in an untrusted project file).
    func servers(named name: String?) throws -> [MCPServerConfig] {
        try servers(named: name, in: try load().0)
    }

    /// `servers(named:)` over a configuration already read.
    func servers(named name: String?, in configuration: MCPConfiguration) throws -> [MCPServerConfig] {
        guard let name else { return configuration.servers }
        if let server = configuration.servers.first(where: { $0.name == name }) { return [server] }
        if let project = configuration.project, project.servers.contains(where: { $0.name == name }) {
            throw PieExit.usage("'\(name)' is in \(project.path), which is not trusted; review it, then run `pie mcp trust`")
        }
        let names = configuration.servers.map(\.name)
        let hint = Spelling.closest(to: name, among: names).map { " (did you mean '\($0)'?)" } ?? ""
        throw PieExit.usage("no MCP server named '\(name)'\(hint); configured: \(names.isEmpty ? "none" : names.joined(separator: ", "))")
    }

    /// `servers` started, each in its sandbox, with its tools made.
    func start(_ servers: [MCPServerConfig]) async throws -> MCPToolbox {
        let environment = ProcessContext.environment()
        return await MCPToolbox.start(
            servers,
            launcher: MCPSetup.launcher(projectRoot: try projectRoot, environment: environment, sandbox: ProcessContext.sandboxServices))
    }

    func load(untrusted: MCPConfiguration.UntrustedProject = .warn) throws -> (MCPConfiguration, ProjectTrust) {
        let state = try stateDirectory()
        let here = try ProcessContext.currentDirectory()
        let project = cwd.map { PathNormalizer.join(here, $0) } ?? here
        let trust = ProjectTrust(stateDirectory: state)
        do {
            return (try MCPConfiguration.load(stateDirectory: state, projectRoot: project, trust: trust, untrusted: untrusted), trust)
        } catch {
            throw PieExit.usage(error.message)
        }
    }
}

/// `pie mcp list`: every configured server, where it comes from, and whether it may start.
struct MCPListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the configured MCP servers and whether each may start.")

    @OptionGroup var location: MCPLocation

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let (configuration, _) = try location.load()
        var rows: [MCPServerRow] = configuration.servers.map { MCPServerRow(server: $0, starts: true, note: nil) }
        if let project = configuration.project, project.status != .trusted {
            let note = project.status == .changed ? "changed since trusted: run `pie mcp trust`" : "not trusted: run `pie mcp trust`"
            rows += project.servers.map { MCPServerRow(server: $0, starts: false, note: note) }
        }
        if json {
            print(JSONValue.array(rows.map(\.json)).rendered(pretty: true))
            return
        }
        for warning in configuration.warnings { printError("pie: warning: \(warning)") }
        guard !rows.isEmpty else {
            print("no MCP servers: add [[server]] entries to \(configuration.userFile) or .pie/mcp.toml (docs/mcp.md)")
            return
        }
        for row in rows { print(row.text) }
    }
}

/// `pie mcp tools [SERVER]`: starts the servers and lists the tools they offer the model.
struct MCPToolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools", abstract: "Start the servers (or one) and list the tools each offers, as the model sees them.")

    @Argument(help: "Only this server.")
    var server: String?

    @OptionGroup var location: MCPLocation

    @Flag(help: "Print JSON, with each tool's input schema.")
    var json = false

    func run() async throws {
        let toolbox = try await location.start(try location.servers(named: server))
        for warning in toolbox.warnings { printError("pie: warning: \(warning)") }
        if json {
            print(JSONValue.array(toolbox.tools.map { tool in
                .object(JSONObject([
                    ("name", .string(tool.name)), ("description", .string(tool.description)),
                    ("input_schema", tool.schema.jsonSchema),
                ]))
            }).rendered(pretty: true))
        } else {
            for tool in toolbox.tools { print("\(tool.name)  \(tool.description.prefix(120))") }
        }
        await toolbox.close()
        if toolbox.tools.isEmpty && !toolbox.warnings.isEmpty { throw PieExit(code: 1) }
    }
}

/// `pie mcp call SERVER TOOL --args JSON`: one MCP tool call through the same path as the agent's
/// (strict arguments, the policy's `[mcp]` rules, the audit log), printed as the model would see it.
struct MCPCallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call one MCP tool through the policy and the audit log, as the agent would.",
        discussion: "Exit codes: 0 the tool succeeded, 1 it returned an error result (a policy denial included) or the server did not start, 2 bad usage.")

    @Argument(help: "The server's name in mcp.toml.")
    var server: String

    @Argument(help: "The tool's name as the server lists it.")
    var tool: String

    @Option(name: .customLong("args"), help: "The arguments as a JSON object, exactly as a model would send them.")
    var arguments: String?

    @Option(name: .customLong("args-file"), help: "A file holding the arguments' exact bytes (instead of --args).")
    var argumentsFile: String?

    @OptionGroup var location: MCPLocation

    @Flag(help: "Print the result as JSON (content blocks, isError, details).")
    var json = false

    @OptionGroup var policy: PolicyOptions

    func run() async throws {
        let argumentBytes = try ToolArgumentsInput.bytes(inline: arguments ?? (argumentsFile == nil ? "{}" : nil), file: argumentsFile)
        let toolbox = try await location.start(try location.servers(named: server))
        for warning in toolbox.warnings { printError("pie: warning: \(warning)") }
        let name = MCPToolName.make(server: server, tool: tool)
        guard toolbox.tools.contains(where: { $0.name == name }) else {
            await toolbox.close()
            let offered = toolbox.tools.compactMap { MCPToolName.parse($0.name)?.tool }
            throw PieExit(
                code: toolbox.connections.isEmpty ? 1 : 2,
                message: toolbox.connections.isEmpty
                    ? nil : "'\(server)' offers no tool '\(tool)'; it offers: \(offered.isEmpty ? "none" : offered.joined(separator: ", "))")
        }
        let environment = ProcessContext.environment()
        let selection = try policy.selection()
        let project = try location.projectRoot
        let guarded: GuardedTools
        do throws(AgentBuildError) {
            guarded = try ProcessContext.agentBuilder(environment: environment).toolRunner(
                policy: selection, cwd: project, auditSession: "mcp-call-\(getpid())",
                approver: NobodyApprover(mode: "pie mcp call"), extraTools: toolbox.tools,
                onWarning: { printError("pie: warning: \($0)") })
        } catch {
            await toolbox.close()
            throw PieExit(error)
        }
        let call = ToolCall(id: "call_\(getpid())", name: name, rawArguments: String(decoding: argumentBytes, as: UTF8.self))
        let result = await guarded.run(call)
        await toolbox.close()
        print(json ? ToolResultRendering.json(result, tool: name) : ToolResultRendering.text(result))
        if result.isError { throw PieExit(code: 1) }
    }
}

/// `pie mcp doctor [SERVER]`: starts each server, says what it offers, or why it fails.
struct MCPDoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Start each server (or one), list what it offers, and say why one fails.",
        discussion: "Exit codes: 0 every server started, 1 one did not, 2 bad usage.")

    @Argument(help: "Only this server.")
    var server: String?

    @OptionGroup var location: MCPLocation

    func run() async throws {
        let (configuration, _) = try location.load()
        for warning in configuration.warnings { print("warning: \(warning)") }
        let servers = try location.servers(named: server, in: configuration)
        if servers.isEmpty { print("no MCP servers to start (\(configuration.userFile), .pie/mcp.toml)") }
        let launcher = MCPSetup.launcher(
            projectRoot: try location.projectRoot, environment: ProcessContext.environment(),
            sandbox: ProcessContext.sandboxServices)
        var failed = false
        for server in servers {
            failed = await !check(server, launcher: launcher) || failed
        }
        if failed { throw PieExit(code: 1) }
    }

    private func check(_ server: MCPServerConfig, launcher: MCPServerLauncher) async -> Bool {
        print("\(server.name) (\(server.kind.rawValue), \(server.file):\(server.line))")
        let connection: MCPServerConnection
        do {
            connection = try launcher.connection(for: server)
        } catch {
            print("  not started: \(error.message)")
            return false
        }
        let healthy = await report(connection, server: server)
        await connection.close()
        return healthy
    }

    private func report(_ connection: MCPServerConnection, server: MCPServerConfig) async -> Bool {
        do {
            let info = try await connection.start()
            print("  started: \(info.name) \(info.version), protocol \(info.protocolVersion)")
            let client = try await connection.client()
            let tools = try await client.listAllTools()
            print("  tools (\(tools.count)): \(tools.map(\.name).joined(separator: ", "))")
            for tool in tools {
                if !server.tools.offers(tool.name) {
                    print("    \(tool.name): not offered (the tools filter in mcp.toml)")
                } else if case .failure(let problem) = MCPToolbox.check(tool, server: server) {
                    print("    \(tool.name): not offered: \(problem.message)")
                }
            }
            do {
                let resources = try await client.listAllResources()
                print("  resources (\(resources.count)): \(resources.prefix(20).map(\.uri).joined(separator: ", "))")
            } catch {
                print("  resources: none (\(error.message))")
            }
            do {
                let prompts = try await client.listAllPrompts()
                print("  prompts (\(prompts.count)): \(prompts.map(\.name).joined(separator: ", "))")
            } catch {
                print("  prompts: none (\(error.message))")
            }
            return true
        } catch {
            print("  failed: \(error.message)")
            if let tail = await connection.stderrTail(), !tail.isEmpty {
                print("  stderr ended with:")
                for line in tail.split(separator: "\n").suffix(12) { print("    \(line)") }
            }
            return false
        }
    }
}

/// One line of `pie mcp list`.
struct MCPServerRow {
    let server: MCPServerConfig
    let starts: Bool
    let note: String?

    var target: String {
        switch server.kind {
        case .stdio: ([server.command ?? ""] + server.args).joined(separator: " ")
        case .streamableHTTP: server.endpoint ?? ""
        }
    }

    var text: String {
        let state = starts ? "" : "  [\(note ?? "will not start")]"
        return "\(server.name)  \(server.kind.rawValue)  \(target)  (\(server.file):\(server.line))\(state)"
    }

    var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(server.name)), ("kind", .string(server.kind.rawValue)), ("target", .string(target)),
            ("file", .string(server.file)), ("line", .integer(server.line)), ("starts", .bool(starts)),
            ("env", .array(server.env.map { .string($0.name) })),
            ("request_timeout_ms", .integer(server.requestTimeoutMilliseconds)),
            ("tool_policy_profile", server.toolPolicyProfile.map(JSONValue.string) ?? .null),
            ("tools", .object(JSONObject([
                ("allow", .array(server.tools.allow.map(JSONValue.string))),
                ("deny", .array(server.tools.deny.map(JSONValue.string))),
            ]))),
        ]
        if let note { members.append(("note", .string(note))) }
        return .object(JSONObject(members))
    }
}

/// `pie mcp trust`: shows what the project's `.pie/mcp.toml` would start, then remembers its
/// exact content as trusted. Any later change needs trusting again.
struct MCPTrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Trust the project's .pie/mcp.toml as it is now (it starts nothing until trusted).",
        discussion: "Prints every server the file starts, with its command, environment names and sandbox profile, then trusts the file's current content. --revoke forgets it.")

    @OptionGroup var location: MCPLocation

    @Flag(help: "Forget the trust instead.")
    var revoke = false

    func run() throws {
        let path = MCPConfiguration.projectFile(projectRoot: try projectRoot())
        if revoke {
            // Forgetting needs no parse: a file broken since it was trusted can still be revoked.
            let trust = ProjectTrust(stateDirectory: try location.stateDirectory())
            let forgotten = try trusting { () throws(ProjectTrustError) in try trust.revoke(file: path) }
            print(forgotten ? "no longer trusted: \(path)" : "\(path) was not trusted")
            return
        }
        let (configuration, trust) = try location.load()
        guard let project = configuration.project else {
            throw PieExit.usage("\(path) does not exist; there is nothing to trust")
        }
        print("\(project.path) starts \(project.servers.count) server(s):")
        for server in project.servers {
            let row = MCPServerRow(server: server, starts: true, note: nil)
            print("  \(server.name): \(server.kind.rawValue) \(row.target)")
            if !server.env.isEmpty { print("    env: \(server.env.map(\.name).joined(separator: ", "))") }
            print("    sandbox profile: \(server.toolPolicyProfile ?? "the default for MCP servers (docs/mcp.md)")")
        }
        try trusting { () throws(ProjectTrustError) in try trust.trust(file: project.path, contents: project.bytes) }
        print("trusted: \(project.path) (any change to it needs `pie mcp trust` again)")
    }

    private func projectRoot() throws -> String {
        let here = try ProcessContext.currentDirectory()
        return location.cwd.map { PathNormalizer.join(here, $0) } ?? here
    }

    private func trusting<T>(_ body: () throws(ProjectTrustError) -> T) throws -> T {
        do { return try body() } catch { throw PieExit(code: 1, message: "pie: \(error)") }
    }
}
