import PiePolicy
import PieSystem

/// The MCP servers of one run: the user's `~/.pie/mcp.toml` and, once trusted, the project's
/// `.pie/mcp.toml` (a project server replaces a user server of the same name).
public struct MCPConfiguration: Sendable {
    /// The project's file and whether its exact content is trusted.
    public struct ProjectFile: Sendable {
        public var path: String
        public var status: ProjectTrust.Status
        /// Its servers, whether trusted or not (`pie mcp list` shows them); only trusted ones run.
        public var servers: [MCPServerConfig]
        /// The content that was read, which `pie mcp trust` trusts (not a later re-read).
        public var bytes: [UInt8]
    }

    /// What to do with a project file that is not trusted.
    public enum UntrustedProject: Sendable {
        /// Interactive pie and the `pie mcp` commands: start none of its servers, say so.
        case warn
        /// Automations: nobody is there to trust it, and a run without the servers it expects
        /// would do something else; the run fails with the reason.
        case fail
    }

    /// The servers that may be started.
    public var servers: [MCPServerConfig]
    public var userFile: String
    public var project: ProjectFile?
    public var warnings: [String]

    public static func userFile(stateDirectory: String) -> String { stateDirectory + "/mcp.toml" }
    public static func projectFile(projectRoot: String) -> String { projectRoot + "/.pie/mcp.toml" }

    public static func load(
        stateDirectory: String, projectRoot: String, trust: ProjectTrust, untrusted: UntrustedProject
    ) throws(MCPConfigError) -> MCPConfiguration {
        let userPath = userFile(stateDirectory: stateDirectory)
        var servers = try read(userPath).map { bytes throws(MCPConfigError) in try parse(bytes, file: userPath) } ?? []
        var warnings: [String] = []
        var project: ProjectFile?
        let projectPath = projectFile(projectRoot: projectRoot)
        if let bytes = try read(projectPath) {
            let projectServers = try parse(bytes, file: projectPath)
            let status: ProjectTrust.Status
            do { status = try trust.status(of: projectPath, contents: bytes) } catch {
                throw MCPConfigError("\(error)")
            }
            project = ProjectFile(path: projectPath, status: status, servers: projectServers, bytes: bytes)
            if status == .trusted {
                for server in projectServers {
                    servers.removeAll { $0.name == server.name }
                    servers.append(server)
                }
            } else if !projectServers.isEmpty {
                let why = status == .changed ? "changed since it was trusted" : "not trusted"
                let message =
                    "\(projectPath) is \(why): none of its \(projectServers.count) server(s) "
                    + "(\(projectServers.map(\.name).joined(separator: ", "))) will start; review it, then run `pie mcp trust`"
                switch untrusted {
                case .warn: warnings.append(message)
                case .fail: throw MCPConfigError(message)
                }
            }
        }
        return MCPConfiguration(servers: servers, userFile: userPath, project: project, warnings: warnings)
    }

    private static func read(_ path: String) throws(MCPConfigError) -> [UInt8]? {
        do { return try FileIO.read(path, limit: 1 << 20) } catch {
            throw MCPConfigError("\(path): \(error)")
        }
    }

    private static func parse(_ bytes: [UInt8], file: String) throws(MCPConfigError) -> [MCPServerConfig] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw MCPConfigError("\(file): not valid UTF-8; TOML files are UTF-8 text")
        }
        return try MCPConfigParser.parse(text, file: file)
    }
}
