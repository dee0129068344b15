import PiePolicy
import TOMLKit

/// Reads one `mcp.toml` (c4pt0r/pie's format plus pie's `tool_policy_profile` and `tools`).
///
/// Every key must be known and every value of the right type: a typo in a file that starts
/// programs is an error naming the file, line, server and field, never silently ignored.
public enum MCPConfigParser {
    static let serverKeys = [
        "name", "kind", "command", "args", "env", "endpoint", "auth", "request_timeout_ms", "tool_policy_profile", "tools",
    ]

    public static func parse(_ text: String, file: String) throws(MCPConfigError) -> [MCPServerConfig] {
        if let nul = text.utf8.firstIndex(of: 0) {
            let line = text.utf8[..<nul].count { $0 == UInt8(ascii: "\n") } + 1
            throw MCPConfigError(file: file, line: line, server: nil, field: nil, "a NUL byte, which TOML does not allow; remove it")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw MCPConfigError(file: file, line: error.source.begin.line, server: nil, field: nil, error.description)
        } catch {
            throw MCPConfigError("\(file): cannot parse TOML: \(error)")
        }
        let headers = ArrayTableLines(text, table: "server").elements.map(\.header)
        for key in table.keys where key != "server" {
            let hint = Spelling.closest(to: key, among: ["server"]).map { " (did you mean [[\($0)]]?)" } ?? ""
            throw MCPConfigError(file: file, line: 1, server: nil, field: key, "unknown key\(hint); mcp.toml holds only [[server]] entries")
        }
        guard let entries = table["server"] else { return [] }
        guard let array = entries.array else {
            throw MCPConfigError(file: file, line: headers.first ?? 1, server: nil, field: "server", "write each server as a [[server]] table")
        }
        var servers: [MCPServerConfig] = []
        for (index, element) in array.enumerated() {
            let line = index < headers.count ? headers[index] : 1
            guard let entry = element.table else {
                throw MCPConfigError(file: file, line: line, server: nil, field: "server", "write each server as a [[server]] table")
            }
            let server = try parseServer(entry, file: file, line: line)
            if let earlier = servers.first(where: { $0.name == server.name }) {
                throw MCPConfigError(
                    file: file, line: line, server: server.name, field: "name",
                    "also defined at line \(earlier.line); give each server its own name")
            }
            servers.append(server)
        }
        return servers
    }

    private static func parseServer(_ entry: TOMLTable, file: String, line: Int) throws(MCPConfigError) -> MCPServerConfig {
        var reader = Reader(table: entry, file: file, line: line, server: nil)
        let name = try reader.string("name", required: true) ?? ""
        reader.server = name
        if let problem = MCPServerName.problem(with: name) {
            throw MCPConfigError(file: file, line: line, server: nil, field: "name", problem)
        }
        for key in entry.keys.sorted() where !serverKeys.contains(key) {
            let hint = Spelling.closest(to: key, among: serverKeys).map { " (did you mean '\($0)'?)" } ?? ""
            throw reader.error(key, "unknown key\(hint); valid keys: \(serverKeys.joined(separator: ", "))")
        }
        let kindText = try reader.string("kind") ?? MCPServerConfig.Kind.stdio.rawValue
        guard let kind = MCPServerConfig.Kind(rawValue: kindText) else {
            throw reader.error("kind", "'\(kindText)' is not a transport; use \"stdio\" or \"streamable_http\"")
        }
        var config = MCPServerConfig(name: name, kind: kind, file: file, line: line)
        config.command = try reader.string("command")
        config.args = try reader.strings("args") ?? []
        config.env = try reader.stringTable("env") ?? []
        for (variable, _) in config.env where !MCPServerName.isEnvironmentName(variable) {
            throw reader.error("env", "'\(variable)' is not an environment variable name (letters, digits and _, not starting with a digit)")
        }
        config.endpoint = try reader.string("endpoint")
        config.toolPolicyProfile = try reader.string("tool_policy_profile")
        if let timeout = try reader.integer("request_timeout_ms") {
            guard (1...3_600_000).contains(timeout) else {
                throw reader.error("request_timeout_ms", "\(timeout) is out of range; expected 1...3600000 milliseconds")
            }
            config.requestTimeoutMilliseconds = timeout
        }
        config.auth = try reader.auth()
        config.tools = try reader.toolFilter()
        switch kind {
        case .stdio:
            guard let command = config.command, !command.isEmpty else {
                throw reader.error("command", "a stdio server needs the command that starts it, e.g. command = \"uvx\"")
            }
            if config.endpoint != nil { throw reader.error("endpoint", "a stdio server has no endpoint; remove it, or set kind = \"streamable_http\"") }
            if config.auth != nil { throw reader.error("auth", "auth is for streamable_http servers; pass a stdio server's secrets in env") }
        case .streamableHTTP:
            guard let endpoint = config.endpoint else {
                throw reader.error("endpoint", "a streamable_http server needs its URL, e.g. endpoint = \"https://api.example.com/mcp\"")
            }
            guard endpoint.hasPrefix("https://") || endpoint.hasPrefix("http://") else {
                throw reader.error("endpoint", "'\(endpoint)' is not an http:// or https:// URL")
            }
            if config.command != nil || !config.args.isEmpty || !config.env.isEmpty {
                throw reader.error("command", "command, args and env are for stdio servers; a streamable_http server is reached at its endpoint")
            }
        }
        return config
    }

    /// Typed field access for one server table; errors carry the file, line and server.
    private struct Reader {
        let table: TOMLTable
        let file: String
        let line: Int
        var server: String?

        func error(_ field: String, _ problem: String) -> MCPConfigError {
            MCPConfigError(file: file, line: line, server: server, field: field, problem)
        }

        func string(_ key: String, required: Bool = false) throws(MCPConfigError) -> String? {
            guard let value = table[key] else {
                if required { throw error(key, "missing; every [[server]] needs a \(key)") }
                return nil
            }
            guard let text = value.string else { throw error(key, "expected a string in quotes") }
            return text
        }

        func integer(_ key: String) throws(MCPConfigError) -> Int? {
            guard let value = table[key] else { return nil }
            guard let number = value.int else { throw error(key, "expected a whole number") }
            return number
        }

        func strings(_ key: String) throws(MCPConfigError) -> [String]? {
            guard let value = table[key] else { return nil }
            guard let array = value.array else { throw error(key, "expected an array of strings") }
            var items: [String] = []
            for element in array {
                guard let text = element.string else { throw error(key, "expected an array of strings") }
                items.append(text)
            }
            return items
        }

        func stringTable(_ key: String) throws(MCPConfigError) -> [(name: String, value: String)]? {
            guard let value = table[key] else { return nil }
            guard let entries = value.table else { throw error(key, "expected a table of strings, e.g. env = { TOKEN = \"${GITHUB_TOKEN}\" }") }
            var result: [(name: String, value: String)] = []
            for name in entries.keys.sorted() {
                guard let text = entries[name]?.string else { throw error("\(key).\(name)", "expected a string in quotes") }
                result.append((name, text))
            }
            return result
        }

        func auth() throws(MCPConfigError) -> MCPServerConfig.Auth? {
            guard let value = table["auth"] else { return nil }
            guard let entries = value.table else { throw error("auth", "expected a table, e.g. auth = { kind = \"bearer\", token = \"${GITHUB_TOKEN}\" }") }
            for key in entries.keys.sorted() where key != "kind" && key != "token" {
                let note = key == "token_keychain_ref" ? " (c4pt0r/pie's keychain reference; pie reads token = \"${ENV_VAR}\" or \"${auth:KEY}\")" : ""
                throw error("auth.\(key)", "unknown key\(note); valid keys: kind, token")
            }
            guard entries["kind"]?.string == "bearer" else { throw error("auth.kind", "the only kind is \"bearer\"") }
            guard let token = entries["token"]?.string, !token.isEmpty else {
                throw error("auth.token", "missing; write token = \"${ENV_VAR}\" or \"${auth:KEY}\" (a key stored with pie login)")
            }
            return .bearer(token: token)
        }

        func toolFilter() throws(MCPConfigError) -> MCPServerConfig.ToolFilter {
            guard let value = table["tools"] else { return MCPServerConfig.ToolFilter() }
            guard let entries = value.table else { throw error("tools", "expected a table, e.g. tools = { allow = [\"search_*\"], deny = [\"delete_*\"] }") }
            var filter = MCPServerConfig.ToolFilter()
            for key in entries.keys.sorted() {
                guard key == "allow" || key == "deny" else { throw error("tools.\(key)", "unknown key; valid keys: allow, deny") }
                guard let array = entries[key]?.array else { throw error("tools.\(key)", "expected an array of tool-name globs") }
                var globs: [String] = []
                for element in array {
                    guard let glob = element.string, !glob.isEmpty else { throw error("tools.\(key)", "expected an array of tool-name globs") }
                    globs.append(glob)
                }
                if key == "allow" { filter.allow = globs } else { filter.deny = globs }
            }
            return filter
        }
    }
}

/// What a server's name may be: it becomes part of every tool name the model sees
/// (`mcp__<server>__<tool>`) and of the policy's `SERVER/TOOL` patterns.
enum MCPServerName {
    static func problem(with name: String) -> String? {
        guard !name.isEmpty, name.utf8.count <= 32, name.utf8.allSatisfy(MCPToolName.allows), !name.contains("__") else {
            return "'\(name)' must be 1-32 letters, digits, - or _, without a double underscore (it becomes mcp__\(name)__TOOL)"
        }
        return nil
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
        }
    }
}
