import PieJSON
import Testing
@testable import PieMCP

/// What an `mcp.toml` entry may configure, and what error each mistake gets.
@Suite struct ConfigurationTests {
    static func problem(
        endpoint: String = "https://example.com/mcp", headers: [HTTPHeaderField] = [], token: String? = nil, timeout: Int? = nil
    ) -> StreamableHTTPConfigurationError? {
        do {
            _ = try StreamableHTTPConfiguration(endpoint: endpoint, headers: headers, bearerToken: token, requestTimeoutMilliseconds: timeout)
            return nil
        } catch {
            return error
        }
    }

    @Test func acceptsAPlainConfiguration() throws {
        let configuration = try StreamableHTTPConfiguration(
            endpoint: "http://127.0.0.1:8080/mcp", headers: [HTTPHeaderField(name: "X-Team", value: "core")], bearerToken: "abc.def-123",
            requestTimeoutMilliseconds: 30_000)
        #expect(configuration.maximumMessageBytes == 16 * 1024 * 1024)
        #expect(configuration.displayEndpoint == "http://127.0.0.1:8080/mcp")
    }

    @Test(arguments: ["ftp://example.com/mcp", "example.com/mcp", "https:///mcp", "https://exa mple.com/mcp", "http://:80/mcp"])
    func refusesEndpointsThatAreNotHTTPURLs(_ endpoint: String) {
        #expect(Self.problem(endpoint: endpoint)?.field == "endpoint")
    }

    @Test(arguments: ["Mcp-Session-Id", "accept", "Content-Type", "MCP-Protocol-Version", "Last-Event-ID", "Host"])
    func refusesHeadersTheTransportOwns(_ name: String) {
        let error = Self.problem(headers: [HTTPHeaderField(name: name, value: "x")])
        #expect(error?.field == "headers")
        #expect(error?.problem.contains("set by the MCP transport") == true)
    }

    @Test func refusesHeaderInjection() {
        #expect(Self.problem(headers: [HTTPHeaderField(name: "X-A", value: "ok\r\nX-Evil: 1")])?.problem.contains("line break") == true)
        #expect(Self.problem(headers: [HTTPHeaderField(name: "X A", value: "v")])?.problem.contains("not a valid HTTP header name") == true)
    }

    @Test func refusesTwoAuthorizations() {
        let error = Self.problem(headers: [HTTPHeaderField(name: "authorization", value: "Basic eA==")], token: "secret-token")
        #expect(error?.problem.contains("both") == true)
    }

    @Test func aBadTokenIsNamedButNeverQuoted() {
        let token = "Bearer super-secret-value"
        let error = Self.problem(token: token)
        #expect(error?.field == "auth")
        #expect(error.map { !$0.description.contains("super-secret-value") } == true)
    }

    @Test func refusesANonPositiveTimeout() {
        #expect(Self.problem(timeout: 0)?.field == "request_timeout_ms")
    }

    @Test func theDisplayedEndpointDropsCredentialsQueryAndFragment() {
        #expect(EndpointText.display("https://user:pw@example.com:8443/v1/mcp?api_key=k#x") == "https://example.com:8443/v1/mcp")
        #expect(EndpointText.display("http://host") == "http://host")
        #expect(Self.problem(endpoint: "ftp://user:pw@host/x")?.description.contains("pw") == false)
    }

    @Test func reconnectDelaysDoubleUpToTheCapUnlessTheServerSaidRetry() {
        let policy = StreamableHTTPReconnectPolicy(initialDelayMilliseconds: 500, maximumDelayMilliseconds: 3_000, maximumAttempts: 9)
        #expect((1...5).map { policy.delayMilliseconds(attempt: $0, serverRetry: nil) } == [500, 1_000, 2_000, 3_000, 3_000])
        #expect(policy.delayMilliseconds(attempt: 4, serverRetry: 175) == 175)
        #expect(policy.delayMilliseconds(attempt: 1, serverRetry: 0) == 100, "retry: 0 cannot make a tight loop")
    }

    @Test func classifiesOutgoingMessages() throws {
        let initialize = try OutgoingMessage(["jsonrpc": "2.0", "id": "a", "method": "initialize", "params": [:]])
        #expect(initialize.requestIDs == ["a"] && initialize.initializeIDs == ["a"])
        #expect(initialize.summary == "initialize request \"a\"")
        let notification = try OutgoingMessage(["jsonrpc": "2.0", "method": "notifications/initialized"])
        #expect(notification.requestIDs.isEmpty && notification.completesInitialization)
        let response = try OutgoingMessage(["jsonrpc": "2.0", "id": 4, "result": [:]])
        #expect(response.requestIDs.isEmpty && response.summary == "response to request 4")
        let batch = try OutgoingMessage([["jsonrpc": "2.0", "id": 1, "method": "ping"], ["jsonrpc": "2.0", "method": "notifications/cancelled"]])
        #expect(batch.requestIDs == [1])
        #expect(throws: MCPTransportError.self) { try OutgoingMessage("not an object") }
        #expect(throws: MCPTransportError.self) { try OutgoingMessage([]) }
        #expect(OutgoingMessage.responseID(of: ["jsonrpc": "2.0", "id": 3, "error": ["code": -1, "message": "x"]]) == 3)
        #expect(OutgoingMessage.responseID(of: ["jsonrpc": "2.0", "id": 3, "method": "ping"]) == nil)
    }
}
