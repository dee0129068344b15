import PiePolicy

/// One `[[server]]` of `mcp.toml`, as written: secrets are still references (`${NAME}`,
/// `${auth:KEY}`), resolved only when the server is started (`MCPSecrets`), so listing servers
/// needs no secret.
public struct MCPServerConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case stdio
        case streamableHTTP = "streamable_http"
    }

    /// How pie authenticates to a streamable HTTP server.
    public enum Auth: Sendable, Equatable {
        /// `Authorization: Bearer …`; the token is a reference or a literal.
        case bearer(token: String)
    }

    /// Which of the server's tools pie offers the model at all: `SERVER`-local tool-name globs.
    /// The policy's `[mcp]` section still judges every call of an offered tool.
    public struct ToolFilter: Sendable, Equatable {
        public var allow: [String]
        public var deny: [String]

        public init(allow: [String] = [], deny: [String] = []) {
            self.allow = allow
            self.deny = deny
        }

        /// Offered when no deny glob matches and `allow` is empty or one of its globs matches.
        public func offers(_ tool: String) -> Bool {
            if deny.contains(where: { ComponentGlob($0).matches(Array(tool.utf8)) }) { return false }
            return allow.isEmpty || allow.contains { ComponentGlob($0).matches(Array(tool.utf8)) }
        }
    }

    public var name: String
    public var kind: Kind
    public var command: String?
    public var args: [String]
    /// Environment entries passed to a stdio server; nothing else of pie's environment is.
    public var env: [(name: String, value: String)]
    public var endpoint: String?
    public var auth: Auth?
    public var requestTimeoutMilliseconds: Int
    /// The policy profile (a preset name or a profile file) for the server's own sandbox.
    public var toolPolicyProfile: String?
    public var tools: ToolFilter
    /// Where the entry was written: the file and the line of its `[[server]]` header.
    public var file: String
    public var line: Int

    public static let defaultRequestTimeoutMilliseconds = 60_000

    public init(
        name: String, kind: Kind, command: String? = nil, args: [String] = [], env: [(name: String, value: String)] = [],
        endpoint: String? = nil, auth: Auth? = nil, requestTimeoutMilliseconds: Int = defaultRequestTimeoutMilliseconds,
        toolPolicyProfile: String? = nil, tools: ToolFilter = ToolFilter(), file: String, line: Int
    ) {
        self.name = name
        self.kind = kind
        self.command = command
        self.args = args
        self.env = env
        self.endpoint = endpoint
        self.auth = auth
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
        self.toolPolicyProfile = toolPolicyProfile
        self.tools = tools
        self.file = file
        self.line = line
    }

    public static func == (lhs: MCPServerConfig, rhs: MCPServerConfig) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.command == rhs.command && lhs.args == rhs.args
            && lhs.env.elementsEqual(rhs.env, by: { $0.name == $1.name && $0.value == $1.value })
            && lhs.endpoint == rhs.endpoint && lhs.auth == rhs.auth
            && lhs.requestTimeoutMilliseconds == rhs.requestTimeoutMilliseconds
            && lhs.toolPolicyProfile == rhs.toolPolicyProfile && lhs.tools == rhs.tools && lhs.file == rhs.file
            && lhs.line == rhs.line
    }
}
