import PieLocal
import PiePolicy
import PieSandbox
import PieSystem

/// Turns one `[[server]]` into a supervised connection: secrets resolved, the server's own
/// sandbox policy chosen, the transport made. Nothing starts until `MCPServerConnection.start`.
public struct MCPServerLauncher: Sendable {
    public var secrets: MCPSecrets
    public var services: SandboxServices
    /// The project the agent works in: named for the deny list, shown to the server only when
    /// its `tool_policy_profile` makes it a root.
    public var projectRoot: String
    public var home: String

    public init(secrets: MCPSecrets, services: SandboxServices, projectRoot: String, home: String) {
        self.secrets = secrets
        self.services = services
        self.projectRoot = projectRoot
        self.home = home
    }

    public func connection(for server: MCPServerConfig) throws(MCPConfigError) -> MCPServerConnection {
        switch server.kind {
        case .stdio:
            return MCPServerConnection(
                name: server.name, launch: try stdioLaunch(server), services: services,
                requestTimeoutMs: server.requestTimeoutMilliseconds)
        case .streamableHTTP:
            let configuration = try httpConfiguration(server)
            let http: CurlTransport
            do { http = try CurlTransport() } catch {
                throw MCPConfigError(file: server.file, line: server.line, server: server.name, field: nil, "\(error)")
            }
            return MCPServerConnection(name: server.name, requestTimeoutMs: server.requestTimeoutMilliseconds) {
                StreamableHTTPTransport(configuration: configuration, http: http)
            }
        }
    }

    /// The command, its arguments, exactly the `env` entries (resolved) and the server's policy:
    /// without `tool_policy_profile`, `MCPStdioLaunch.defaultPolicy` (no network, no writable
    /// root, the system allowlist) starting in its private `/tmp`; with one, that preset or
    /// profile built for the project, starting in the project.
    public func stdioLaunch(_ server: MCPServerConfig) throws(MCPConfigError) -> MCPStdioLaunch {
        var environment: [String: String] = [:]
        for entry in server.env {
            environment[entry.name] = try secrets.resolve(entry.value, server: server, field: "env.\(entry.name)")
        }
        guard let profile = server.toolPolicyProfile else {
            return MCPStdioLaunch(
                command: server.command ?? "", args: server.args, environment: environment,
                policy: MCPStdioLaunch.defaultPolicy(projectRoot: projectRoot, home: home))
        }
        let inputs = PolicyInputs(
            cwd: projectRoot, home: home, environment: [:], presetFlag: PolicyPreset(rawValue: profile),
            profileFlag: PolicyPreset(rawValue: profile) == nil ? profilePath(profile, server: server) : nil)
        let policy: ToolPolicy
        do { policy = try PolicyBuilder.build(inputs).policy } catch {
            throw MCPConfigError(file: server.file, line: server.line, server: server.name, field: "tool_policy_profile", error.message)
        }
        // With the project as a root, the sandbox masks `.pie` while the server runs; a missing
        // one would be masked by a placeholder file, and pie could not create its spill
        // directory there meanwhile.
        do { try FileIO.makeDirectories(policy.paths.projectRoot + "/.pie", mode: 0o755) } catch {
            throw MCPConfigError(file: server.file, line: server.line, server: server.name, field: nil, "\(error)")
        }
        return MCPStdioLaunch(
            command: server.command ?? "", args: server.args, environment: environment, policy: policy,
            workingDirectory: policy.paths.projectRoot)
    }

    /// A profile file: `~/…` in the home directory, a relative path beside the `mcp.toml` that
    /// names it (so a project file's profile is the project's).
    func profilePath(_ profile: String, server: MCPServerConfig) -> String {
        if profile.hasPrefix("~/") { return PathNormalizer.join(home, String(profile.dropFirst(2))) }
        let directory = String(server.file[..<(server.file.lastIndex(of: "/") ?? server.file.startIndex)])
        return PathNormalizer.join(directory.isEmpty ? "/" : directory, profile)
    }

    private func httpConfiguration(_ server: MCPServerConfig) throws(MCPConfigError) -> StreamableHTTPConfiguration {
        var token: String?
        if case .bearer(let reference)? = server.auth {
            token = try secrets.resolve(reference, server: server, field: "auth.token")
        }
        do {
            return try StreamableHTTPConfiguration(
                endpoint: server.endpoint ?? "", bearerToken: token,
                // The client times a request out first and cancels it, which aborts its POST;
                // the transport's own bound only catches a POST that outlives that.
                requestTimeoutMilliseconds: server.requestTimeoutMilliseconds + 30_000)
        } catch {
            throw MCPConfigError(file: server.file, line: server.line, server: server.name, field: error.field, error.problem)
        }
    }
}
