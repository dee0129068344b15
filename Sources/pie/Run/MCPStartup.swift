import PieAgent
import PieMCP
import PieRuntime

/// The MCP servers of an interactive or one-shot run, started before the agent is built; their
/// warnings (an untrusted project file, a server that did not start) printed as they are.
enum MCPStartup {
    static func start(cwd: String, environment: [String: String]) async throws(PieExit) -> MCPToolbox {
        do {
            let toolbox = try await MCPSetup.start(
                projectRoot: cwd, environment: environment, sandbox: ProcessContext.sandboxServices, untrusted: .warn)
            for warning in toolbox.warnings { printError("pie: warning: \(warning)") }
            return toolbox
        } catch {
            throw PieExit.usage(error.message)
        }
    }

    /// Between turns, the tools of servers whose list changed; each change is said on stderr.
    static func refresher(_ toolbox: MCPToolbox) -> @Sendable (ToolRunner) async -> ToolRunner? {
        toolbox.toolRefresher { change in printError("pie: \(change)") }
    }
}
