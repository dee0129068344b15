/// How to reach one MCP server over streamable HTTP (MCP 2025-03-26 and later): the endpoint,
/// the headers and credentials sent with every request, and the limits the transport enforces.
///
/// Checked when built, so a bad `mcp.toml` entry fails before anything is sent: header names and
/// values cannot smuggle a line break into the request, and the headers the protocol owns are the
/// transport's alone.
public struct StreamableHTTPConfiguration: Sendable {
    /// 16 MiB: the largest JSON body or single SSE event accepted. A tool result bigger than this
    /// is not something pie could show the model anyway, and the cap keeps a hostile server from
    /// filling memory.
    public static let defaultMaximumMessageBytes = 16 * 1024 * 1024

    /// The MCP endpoint (`http://` or `https://`), the only URL the transport ever contacts.
    public let endpoint: String
    /// Extra headers sent with every request, in order.
    public let headers: [HTTPHeaderField]
    /// Sent as `Authorization: Bearer …`; never part of an error message.
    public let bearerToken: String?
    /// How long one message may take, from its POST to its response (resumptions included);
    /// `nil`: no limit beyond the client's own.
    public let requestTimeoutMilliseconds: Int?
    public let maximumMessageBytes: Int
    public let reconnect: StreamableHTTPReconnectPolicy

    /// Headers the transport sets itself (the protocol's and HTTP's framing).
    static let reservedHeaderNames: Set<String> = [
        "accept", "content-type", "content-length", "transfer-encoding", "host", "connection", "expect",
        "mcp-session-id", "mcp-protocol-version", "last-event-id",
    ]

    public init(
        endpoint: String,
        headers: [HTTPHeaderField] = [],
        bearerToken: String? = nil,
        requestTimeoutMilliseconds: Int? = nil,
        maximumMessageBytes: Int = Self.defaultMaximumMessageBytes,
        reconnect: StreamableHTTPReconnectPolicy = StreamableHTTPReconnectPolicy()
    ) throws(StreamableHTTPConfigurationError) {
        try Self.checkEndpoint(endpoint)
        for header in headers {
            try Self.check(header, hasBearerToken: bearerToken != nil)
        }
        if let bearerToken {
            // The token itself is never quoted back: the message names only what is wrong with it.
            guard !bearerToken.isEmpty, bearerToken.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw StreamableHTTPConfigurationError(
                    field: "auth",
                    "the bearer token is empty or holds spaces, control or non-ASCII characters; set it to the token alone, without `Bearer `")
            }
        }
        if let requestTimeoutMilliseconds, requestTimeoutMilliseconds <= 0 {
            throw StreamableHTTPConfigurationError(
                field: "request_timeout_ms", "must be a positive number of milliseconds (got \(requestTimeoutMilliseconds)); leave it out for no limit")
        }
        guard maximumMessageBytes > 0 else {
            throw StreamableHTTPConfigurationError(field: "maximum message size", "must be positive (got \(maximumMessageBytes))")
        }
        self.endpoint = endpoint
        self.headers = headers
        self.bearerToken = bearerToken
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
        self.maximumMessageBytes = maximumMessageBytes
        self.reconnect = reconnect
    }

    /// The endpoint as error messages show it: no user information, query or fragment, which may
    /// carry credentials.
    public var displayEndpoint: String { EndpointText.display(endpoint) }

    private static func checkEndpoint(_ endpoint: String) throws(StreamableHTTPConfigurationError) {
        let lower = endpoint.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = endpoint.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = endpoint.dropFirst(7)
        } else {
            throw StreamableHTTPConfigurationError(
                field: "endpoint", "'\(EndpointText.display(endpoint))' is not an http:// or https:// URL; give the server's MCP endpoint, e.g. https://example.com/mcp")
        }
        guard endpoint.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw StreamableHTTPConfigurationError(
                field: "endpoint", "'\(EndpointText.display(endpoint))' holds spaces, control or non-ASCII characters; percent-encode them")
        }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last ?? ""
        guard !host.isEmpty, !host.hasPrefix(":") else {
            throw StreamableHTTPConfigurationError(field: "endpoint", "'\(EndpointText.display(endpoint))' names no host")
        }
    }

    private static func check(_ header: HTTPHeaderField, hasBearerToken: Bool) throws(StreamableHTTPConfigurationError) {
        let name = header.name
        guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else {
            throw StreamableHTTPConfigurationError(
                field: "headers", "'\(name)' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)")
        }
        let lower = name.lowercased()
        if reservedHeaderNames.contains(lower) {
            throw StreamableHTTPConfigurationError(
                field: "headers", "'\(name)' is set by the MCP transport itself; remove it from the configuration")
        }
        if lower == "authorization" && hasBearerToken {
            throw StreamableHTTPConfigurationError(
                field: "headers", "'Authorization' is given both as a header and through `auth`; keep one")
        }
        // A CR or LF would end the header and start another; NUL cuts it short.
        guard header.value.utf8.allSatisfy({ $0 != 0x0D && $0 != 0x0A && $0 != 0 }) else {
            throw StreamableHTTPConfigurationError(field: "headers", "the value of '\(name)' holds a line break or NUL")
        }
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}

/// One configured request header.
public struct HTTPHeaderField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A configuration the transport cannot use, naming the `mcp.toml` field and what to change.
public struct StreamableHTTPConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let problem: String

    public init(field: String, _ problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "MCP server `\(field)`: \(problem)" }
}
