import PieJSON

/// Why an MCP request failed. Every message names the server, so a tool result, an audit record
/// or `pie mcp doctor` can say which server to look at.
public struct MCPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server answered with a JSON-RPC error.
        case server(code: Int, data: JSONValue?)
        /// The connection ended (the process exited, the HTTP session was lost) before an answer.
        case transportClosed
        /// No answer within the request's timeout; `notifications/cancelled` was sent.
        case timeout
        /// The caller's task was cancelled (Ctrl+C, a run's deadline); `notifications/cancelled` was sent.
        case cancelled
        /// The server sent something MCP does not allow (an unsupported protocol version, a
        /// result of the wrong shape).
        case protocolViolation
        /// The server is not connected: not started yet, restarting, given up on, or closed.
        case unavailable
        /// The call itself was malformed before anything was sent (arguments that are not an object).
        case invalidRequest
    }

    public let server: String
    public let kind: Kind
    /// What happened and, where there is one, what to do about it.
    public let message: String

    public init(server: String, kind: Kind, message: String) {
        self.server = server
        self.kind = kind
        self.message = message
    }

    public var description: String { "MCP server '\(server)': \(message)" }
}
