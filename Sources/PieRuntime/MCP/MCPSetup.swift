import PieAgent
import PieLocal
import PieMCP
import PiePolicy
import PieSandbox

/// The MCP servers of a run, from the files to started connections: `~/.pie/mcp.toml` and the
/// project's `.pie/mcp.toml` (once trusted), secrets from the environment and `auth.json`, each
/// server in its own sandbox. The CLI and the scheduler both come through here.
public enum MCPSetup {
    /// Reads the configuration; `untrusted` says what a project file nobody trusted does
    /// (interactive pie warns and starts none of it; an automation run fails).
    public static func configuration(
        projectRoot: String, environment: [String: String], untrusted: MCPConfiguration.UntrustedProject
    ) throws(MCPConfigError) -> MCPConfiguration {
        guard let state = PieDirectory.resolve(environment: environment) else {
            throw MCPConfigError("neither PIE_DIR nor HOME is set; pie cannot find mcp.toml")
        }
        return try MCPConfiguration.load(
            stateDirectory: state.root, projectRoot: projectRoot, trust: ProjectTrust(stateDirectory: state.root),
            untrusted: untrusted)
    }

    /// How servers are started for `projectRoot`, with `environment`'s secrets.
    public static func launcher(
        projectRoot: String, environment: [String: String], sandbox: SandboxServices
    ) -> MCPServerLauncher {
        let auth = AuthStore(environment: PieEnvironment(environment))
        let secrets = MCPSecrets(environment: environment, authKeys: { try auth?.keys() ?? [:] })
        return MCPServerLauncher(
            secrets: secrets, services: sandbox, projectRoot: projectRoot, home: environment["HOME"] ?? "/")
    }

    /// Every configured server started and its tools made; the configuration's warnings and the
    /// servers that failed come back as the toolbox's warnings.
    public static func start(
        projectRoot: String, environment: [String: String], sandbox: SandboxServices,
        untrusted: MCPConfiguration.UntrustedProject
    ) async throws(MCPConfigError) -> MCPToolbox {
        let configuration = try configuration(projectRoot: projectRoot, environment: environment, untrusted: untrusted)
        guard !configuration.servers.isEmpty else {
            return MCPToolbox.empty.adding(warnings: configuration.warnings)
        }
        let toolbox = await MCPToolbox.start(
            configuration.servers, launcher: launcher(projectRoot: projectRoot, environment: environment, sandbox: sandbox))
        return toolbox.adding(warnings: configuration.warnings)
    }
}
