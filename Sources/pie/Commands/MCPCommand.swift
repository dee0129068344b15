import ArgumentParser
import PieJSON
import PieLocal
import PieMCP
import PiePolicy

/// `pie mcp …`: the MCP servers of `~/.pie/mcp.toml` and the project's `.pie/mcp.toml`.
struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "List, trust and inspect MCP servers (docs/mcp.md).",
        subcommands: [MCPListCommand.self, MCPTrustCommand.self])
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
