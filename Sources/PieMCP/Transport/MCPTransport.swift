import PieJSON

/// How a client reaches one MCP server: JSON-RPC messages go out as values and come back as
/// values. The stdio transport (a sandboxed child process, one message per line) and the
/// streamable HTTP transport implement it; `MCPClient` knows nothing of processes or sockets.
public protocol MCPTransport: Sendable {
    /// Connects: starts the server process, or prepares the HTTP session. Called once.
    func start() async throws(MCPTransportError)

    /// Sends one JSON-RPC message (request, notification or response). For HTTP, the responses
    /// a POST returns (JSON or an SSE stream) arrive through `events`.
    func send(_ message: JSONValue) async throws(MCPTransportError)

    /// Everything the server sends, in arrival order. The stream finishes after `.closed`.
    var events: AsyncStream<MCPTransportEvent> { get }

    /// Ends the connection (HTTP: DELETE the session; stdio: close stdin, then SIGTERM, then
    /// SIGKILL after a grace period). Idempotent.
    func close() async
}

/// One thing a transport observed.
public enum MCPTransportEvent: Sendable, Equatable {
    /// A JSON-RPC message (a response, request or notification from the server).
    case message(JSONValue)
    /// Bytes that were not one JSON value, or an HTTP body that could not be read; the connection
    /// goes on, and the client counts and logs it.
    case malformed(String)
    /// The connection ended (the process exited, the HTTP session was lost); in-flight requests
    /// fail with this reason.
    case closed(MCPTransportError)
}

/// Why a transport failed, in words a user can act on.
public struct MCPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server could not be started or reached (no such command, connection refused).
        case unreachable
        /// The server went away (exit, signal, HTTP session expired).
        case closed
        /// The server answered with something the protocol does not allow (HTTP status, type).
        case protocolViolation
        /// A write or request timed out.
        case timeout
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
