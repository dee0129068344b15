import PieSystem

/// Resolves the references in `env` values and bearer tokens when a server starts:
/// `${NAME}` is pie's environment variable NAME, `${auth:KEY}` the key stored in `auth.json`
/// (`pie login KEY`). A missing one is an error naming the server and the field; secrets are
/// never written into `mcp.toml` by pie, and the resolved values never reach the audit log.
public struct MCPSecrets: Sendable {
    public var environment: [String: String]
    /// Keys of `auth.json`, read only when a reference needs them.
    public var authKeys: @Sendable () throws -> [String: String]

    public init(environment: [String: String], authKeys: @escaping @Sendable () throws -> [String: String]) {
        self.environment = environment
        self.authKeys = authKeys
    }

    public func resolve(_ text: String, server: MCPServerConfig, field: String) throws(MCPConfigError) -> String {
        try VariableReferences.expand(
            text, unclosed: { _ in error(server, field, "'${' is not closed; write ${NAME} or ${auth:KEY}") }
        ) { reference throws(MCPConfigError) in try value(of: reference, server: server, field: field) }
    }

    private func value(of reference: String, server: MCPServerConfig, field: String) throws(MCPConfigError) -> String {
        if reference.hasPrefix("auth:") {
            let key = String(reference.dropFirst(5))
            let keys: [String: String]
            do { keys = try authKeys() } catch {
                throw self.error(server, field, "cannot read auth.json for ${auth:\(key)}: \(error)")
            }
            guard let secret = keys[key], !secret.isEmpty else {
                throw self.error(server, field, "${auth:\(key)} is not in auth.json; store it with `pie login \(key)`")
            }
            return secret
        }
        guard MCPServerName.isEnvironmentName(reference) else {
            throw error(server, field, "'${\(reference)}' is not ${NAME} (an environment variable) or ${auth:KEY}")
        }
        guard let secret = environment[reference], !secret.isEmpty else {
            throw error(server, field, "${\(reference)} is not set in pie's environment; export it, or use ${auth:KEY}")
        }
        return secret
    }

    private func error(_ server: MCPServerConfig, _ field: String, _ problem: String) -> MCPConfigError {
        MCPConfigError(file: server.file, line: server.line, server: server.name, field: field, problem)
    }
}
