import PieJSON
import PieLocal
import PieMCP
import Testing

/// The failure cases, against `Servers/scripted_server.py` (Python's http.server on 127.0.0.1):
/// each scenario answers just enough of the protocol to reach one case.
@Suite(.timeLimit(.minutes(1))) struct ScriptedEndpointTests {
    static func transport(
        _ server: PythonServer, token: String? = nil, timeout: Int? = 120_000, maximumBytes: Int = StreamableHTTPConfiguration.defaultMaximumMessageBytes,
        reconnect: StreamableHTTPReconnectPolicy = StreamableHTTPReconnectPolicy(), clock: any RetryClock = RecordingClock()
    ) throws -> StreamableHTTPTransport {
        let configuration = try StreamableHTTPConfiguration(
            endpoint: server.endpoint, headers: [HTTPHeaderField(name: "X-Pie-Test", value: "yes")], bearerToken: token,
            requestTimeoutMilliseconds: timeout, maximumMessageBytes: maximumBytes, reconnect: reconnect)
        return StreamableHTTPTransport(configuration: configuration, http: try CurlTransport(), clock: clock)
    }

    static func initialize(_ transport: StreamableHTTPTransport, _ events: inout EventReader) async throws {
        try await transport.send(RPC.initialize())
        _ = await events.until(response: 1)
        try await transport.send(RPC.initialized)
    }

    static func headers(_ record: JSONValue) -> JSONValue { record["headers"] ?? .null }

    @Test("A POST stream that drops mid-event is resumed with a GET carrying the last complete event's id, after retry:")
    func resumesADroppedPOSTStream() async throws {
        let server = try await PythonServer("scripted_server.py", ["resume"])
        defer { server.stop() }
        let clock = RecordingClock()
        let transport = try Self.transport(server, clock: clock)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)

        try await transport.send(RPC.call(id: 1, "slow"))
        let seen = await events.until(response: 1)
        #expect(seen.compactMap(\.method) == ["notifications/progress"], "the event cut off by the drop is not delivered")
        #expect(seen.last?.message?["result"]?["content"]?[0]?["text"] == "resumed")
        let resume = try await server.waitForRecord("the resuming GET") { $0["method"] == "GET" && Self.headers($0)["last-event-id"] != nil }
        #expect(Self.headers(resume)["last-event-id"] == "e1", "e2 never completed, so the stream resumes after e1")
        #expect(Self.headers(resume)["mcp-session-id"] == "session-1")
        #expect(Self.headers(resume)["mcp-protocol-version"] == "2025-06-18")
        #expect(Self.headers(resume)["accept"] == "text/event-stream")
        #expect(clock.sleeps.contains(.milliseconds(250)), "the stream's retry: 250 is waited before resuming")
        try await Self.waitForState(transport, .unsupported)
        #expect(server.records.filter { $0["method"] == "GET" && Self.headers($0)["last-event-id"] == nil }.count == 1, "405: no server stream, no retries")
        await transport.close()
    }

    @Test("A POST stream that drops before its response with no event id fails the request, naming the endpoint")
    func droppedStreamWithoutIDs() async throws {
        let server = try await PythonServer("scripted_server.py", ["drop"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        let error = await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.call(id: 2, "x")) }
        #expect(error?.kind == .unreachable)
        #expect(error?.message.contains(server.endpoint) == true)
        #expect(error?.message.contains("no event id") == true)
        #expect(error?.message.contains("tools/call request 2") == true)
        // What arrived before the drop was delivered; the transport stays usable.
        #expect(await events.next()?.method == "notifications/progress")
        try await transport.send(RPC.initialized)
        await transport.close()
    }

    @Test("404 for a request carrying the session id: send throws and .closed says the session expired")
    func sessionExpired() async throws {
        let server = try await PythonServer("scripted_server.py", ["expiry"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        #expect(transport.sessionID == "session-1")
        let error = await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.request(id: 2, "tools/list")) }
        #expect(error?.kind == .closed)
        #expect(error?.message.contains("session expired") == true)
        guard case .closed(let reason) = await events.next() else {
            Issue.record("expected .closed")
            return
        }
        #expect(reason.message.contains("session expired"))
        #expect(await events.next() == nil, "the stream ends after .closed")
        let again = await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.request(id: 3, "ping")) }
        #expect(again?.message.contains("session expired") == true)
        await transport.close()
        #expect(!server.records.contains { $0["method"] == "DELETE" }, "an expired session is not DELETEd")
    }

    @Test("A 2xx with another Content-Type is a protocol violation naming the type and the endpoint")
    func wrongContentType() async throws {
        let server = try await PythonServer("scripted_server.py", ["wrong-type"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        let error = await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.request(id: 2, "tools/list")) }
        #expect(error?.kind == .protocolViolation)
        #expect(error?.message.contains("text/html") == true)
        #expect(error?.message.contains(server.endpoint) == true)
        await transport.close()
    }

    @Test("A JSON body that does not parse fails its request with the body's start")
    func bodyNotJSON() async throws {
        let server = try await PythonServer("scripted_server.py", ["not-json"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        let error = await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.request(id: 2, "tools/list")) }
        #expect(error?.kind == .protocolViolation)
        #expect(error?.message.contains("not JSON") == true)
        await transport.close()
    }

    @Test("A JSON body over the 16 MiB cap is refused, and the transport goes on")
    func hugeJSONBody() async throws {
        let server = try await PythonServer("scripted_server.py", ["huge"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        let error = await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.request(id: 2, "resources/read")) }
        #expect(error?.kind == .protocolViolation)
        #expect(error?.message.contains("16 MiB") == true)
        #expect(error?.message.contains(server.endpoint) == true)
        try await transport.send(RPC.initialized)
        await transport.close()
    }

    @Test("One SSE event over the configured cap stops the stream")
    func hugeSSEEvent() async throws {
        let server = try await PythonServer("scripted_server.py", ["huge-event"])
        defer { server.stop() }
        let transport = try Self.transport(server, maximumBytes: 256 * 1024)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        let error = await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.request(id: 2, "tools/list")) }
        #expect(error?.message.contains("262144 bytes") == true)
        await transport.close()
    }

    @Test("A server that never answers: request_timeout_ms ends the request with .timeout")
    func timeout() async throws {
        let server = try await PythonServer("scripted_server.py", ["silent"])
        defer { server.stop() }
        let transport = try Self.transport(server, timeout: 300, clock: SystemRetryClock())
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        let error = await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.call(id: 2, "hang")) }
        #expect(error?.kind == .timeout)
        #expect(error?.message.contains("300 ms") == true)
        #expect(error?.message.contains("tools/call request 2") == true)
        await transport.close()
    }

    @Test("Cancelling the sending task aborts the transfer")
    func cancellation() async throws {
        let server = try await PythonServer("scripted_server.py", ["silent"])
        defer { server.stop() }
        let transport = try Self.transport(server, timeout: nil)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        let sending = Task { try await transport.send(RPC.call(id: 2, "hang")) }
        _ = try await server.waitForRecord("the tools/call POST") { $0["body"]?.stringValue?.contains("hang") == true }
        sending.cancel()
        let result = await sending.result
        #expect(throws: MCPTransportError.self) { try result.get() }
        try await transport.send(RPC.initialized)
        await transport.close()
    }

    @Test("Bearer auth: the header reaches the server; a 401 echoing it never shows the token")
    func bearerToken() async throws {
        let token = "sk-test-0123456789abcdef"
        let server = try await PythonServer("scripted_server.py", ["auth", token])
        defer { server.stop() }
        let good = try Self.transport(server, token: token)
        var events = EventReader(good)
        try await good.send(RPC.initialize())
        #expect(await events.until(response: 1).last?.message?["result"] != nil)
        let record = try await server.waitForRecord("the initialize POST") { $0["method"] == "POST" }
        #expect(Self.headers(record)["authorization"] == .string("Bearer \(token)"))
        #expect(Self.headers(record)["x-pie-test"] == "yes", "configured headers are sent too")
        await good.close()

        let bad = try Self.transport(server, token: "wrong-token-\(token)")
        let error = await #expect(throws: MCPTransportError.self) { try await bad.send(RPC.initialize()) }
        let message = try #require(error?.message)
        #expect(message.contains("HTTP 401"))
        #expect(message.contains("invalid credentials"), "the server's words are quoted")
        #expect(!message.contains(token), "…but never the token: \(message)")
        #expect(message.contains("[REDACTED]"))
        #expect(message.contains("`auth`"), "and the message says what to check")
        await bad.close()
    }

    @Test("A redirect is not followed: the request and its token reach only the configured endpoint")
    func redirectNotFollowed() async throws {
        let server = try await PythonServer("scripted_server.py", ["redirect"])
        defer { server.stop() }
        let transport = try Self.transport(server, token: "token-for-this-endpoint")
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        let error = await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.request(id: 2, "tools/list")) }
        #expect(error?.message.contains("HTTP 307") == true)
        #expect(error?.message.contains("not followed") == true)
        #expect(error?.message.contains("/elsewhere") == true, "the message names where the server pointed")
        // A later request's record comes after anything a followed redirect would have printed.
        try await transport.send(RPC.initialized)
        let initialized: @Sendable (JSONValue) -> Bool = { $0["body"]?.stringValue?.contains("notifications/initialized") == true }
        _ = try await server.waitForRecord("the second notifications/initialized") { _ in server.records.filter(initialized).count == 2 }
        #expect(server.records.allSatisfy { $0["path"] == "/mcp" }, "nothing was sent to /elsewhere")
        await transport.close()
    }

    @Test("The server-message GET stream: reconnected with Last-Event-ID after retry:, malformed data reported, 405 ends it")
    func serverMessageStream() async throws {
        let server = try await PythonServer("scripted_server.py", ["stream"])
        defer { server.stop() }
        let clock = RecordingClock()
        let transport = try Self.transport(server, clock: clock)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)

        let first = await events.until(method: "notifications/tools/list_changed")
        #expect(first.count == 1)
        let second = await events.until(method: "notifications/resources/updated")
        #expect(second.last?.message?["params"]?["uri"] == "file:///a")
        guard case .malformed(let text) = await events.next() else {
            Issue.record("data that is not JSON must be reported as .malformed")
            return
        }
        #expect(text.contains("not JSON") && text.contains(server.endpoint))
        let gets = try await Self.waitForGETs(server, count: 3)
        #expect(Self.headers(gets[0])["last-event-id"] == nil)
        #expect(Self.headers(gets[1])["last-event-id"] == "g1")
        #expect(Self.headers(gets[2])["last-event-id"] == "g2")
        #expect(Self.headers(gets[1])["mcp-session-id"] == "session-1")
        #expect(clock.sleeps.prefix(2) == [.milliseconds(40), .milliseconds(40)], "retry: 40 is honoured for every reconnection")
        try await Self.waitForState(transport, .unsupported)
        await transport.close()
    }

    @Test("A GET stream that keeps failing is given up after the policy's attempts, with backoff, and reported")
    func serverMessageStreamGivesUp() async throws {
        let server = try await PythonServer("scripted_server.py", ["stream-fails"])
        defer { server.stop() }
        let clock = RecordingClock()
        let policy = StreamableHTTPReconnectPolicy(initialDelayMilliseconds: 100, maximumDelayMilliseconds: 400, maximumAttempts: 5)
        let transport = try Self.transport(server, reconnect: policy, clock: clock)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        guard case .malformed(let note) = await events.next() else {
            Issue.record("giving up must be reported")
            return
        }
        #expect(note.contains("HTTP 503") && note.contains("busy"))
        #expect(note.contains("will not arrive"))
        #expect(clock.sleeps == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(400)])
        #expect(try await Self.waitForGETs(server, count: 5).count == 5)
        guard case .failed = transport.serverMessageStream else {
            Issue.record("state must say the stream failed: \(transport.serverMessageStream)")
            return
        }
        try await transport.send(RPC.request(id: 2, "ping"))
        await transport.close()
    }

    @Test("close() cancels a GET stream the server holds open, DELETEs the session (405 tolerated) and ends the events")
    func closeCancelsTheStream() async throws {
        let server = try await PythonServer("scripted_server.py", ["hold"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        _ = try await server.waitForRecord("the GET stream") { $0["method"] == "GET" }
        await transport.close()
        let delete = try await server.waitForRecord("the DELETE") { $0["method"] == "DELETE" }
        #expect(Self.headers(delete)["mcp-session-id"] == "session-1")
        guard case .closed(let reason) = await events.next() else {
            Issue.record("expected .closed")
            return
        }
        #expect(reason.kind == .closed)
        #expect(await events.next() == nil)
        await transport.close()
        #expect(server.records.filter { $0["method"] == "DELETE" }.count == 1, "close() is idempotent")
    }

    @Test("A request answered 202 with no body is an error: its response can never arrive")
    func requestAnsweredWithAccepted() async throws {
        let server = try await PythonServer("scripted_server.py", ["accepted"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        let error = await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.request(id: 2, "tools/list")) }
        #expect(error?.kind == .protocolViolation)
        #expect(error?.message.contains("HTTP 202 and no body") == true)
        await transport.close()
    }

    @Test("A 2025-03-26 batch: one POST, a JSON array answered, every response delivered")
    func batch() async throws {
        let server = try await PythonServer("scripted_server.py", ["batch"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        try await transport.send([RPC.request(id: 7, "ping"), RPC.request(id: 8, "ping"), RPC.initialized])
        let first = await events.next()?.message
        let second = await events.next()?.message
        #expect(first?["result"]?["n"] == 7 && second?["result"]?["n"] == 8)
        await transport.close()
    }

    @Test("A session id outside visible ASCII is refused and never sent back")
    func invalidSessionID() async throws {
        let server = try await PythonServer("scripted_server.py", ["bad-session"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        let error = await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.initialize()) }
        #expect(error?.kind == .protocolViolation)
        #expect(error?.message.contains("session id") == true)
        #expect(transport.sessionID == nil)
        await transport.close()
        #expect(!server.records.contains { $0["method"] == "DELETE" })
    }

    /// The GET stream runs on its own task; its state follows the server's answer shortly after.
    static func waitForState(_ transport: StreamableHTTPTransport, _ expected: ServerMessageStreamState) async throws {
        for _ in 0..<200 where transport.serverMessageStream != expected { try await Task.sleep(for: .milliseconds(10)) }
        #expect(transport.serverMessageStream == expected)
    }

    static func waitForGETs(_ server: PythonServer, count: Int) async throws -> [JSONValue] {
        _ = try await server.waitForRecord("\(count) GETs") { _ in server.records.filter { $0["method"] == "GET" }.count >= count }
        return server.records.filter { $0["method"] == "GET" }
    }
}
