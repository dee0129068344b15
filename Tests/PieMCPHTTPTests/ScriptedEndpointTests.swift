import PieJSON
import PieLocal
import PieMCP
import Testing

/// The failure cases, against `Servers/scripted_server.py` (Python's http.server on 127.0.0.1):
/// each scenario answers just enough of the protocol to reach one case. One at a time: each starts
/// a python3, and the rest of the suite runs beside them.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ScriptedEndpointTests {
    static func transport(
        _ server: PythonServer, token: String? = nil, headers: [HTTPHeaderField] = [], timeout: Int? = 120_000,
        maximumBytes: Int = StreamableHTTPConfiguration.defaultMaximumMessageBytes,
        reconnect: StreamableHTTPReconnectPolicy = StreamableHTTPReconnectPolicy(), clock: any RetryClock = RecordingClock()
    ) throws -> StreamableHTTPTransport {
        try transport(endpoint: server.endpoint, token: token, headers: headers, timeout: timeout, maximumBytes: maximumBytes, reconnect: reconnect, clock: clock)
    }

    static func transport(
        endpoint: String, token: String? = nil, headers: [HTTPHeaderField] = [], timeout: Int? = 120_000,
        maximumBytes: Int = StreamableHTTPConfiguration.defaultMaximumMessageBytes,
        reconnect: StreamableHTTPReconnectPolicy = StreamableHTTPReconnectPolicy(), clock: any RetryClock = RecordingClock()
    ) throws -> StreamableHTTPTransport {
        let configuration = try StreamableHTTPConfiguration(
            endpoint: endpoint, headers: [HTTPHeaderField(name: "X-Pie-Test", value: "yes")] + headers, bearerToken: token,
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
        try await transport.send(RPC.call(id: 2, "x"))
        // What arrived before the drop is delivered, then the transport's own answer.
        #expect(await events.next()?.method == "notifications/progress")
        let error = try #require(await events.error(for: 2))
        #expect(error.code == StreamableHTTPTransport.transportFailureCode && error.transport == "unreachable")
        #expect(error.message.contains(server.endpoint))
        #expect(error.message.contains("no event id"))
        #expect(error.message.contains("tools/call request 2"))
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
        try await transport.send(RPC.request(id: 2, "tools/list"))
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
        try await transport.send(RPC.request(id: 2, "tools/list"))
        let error = try #require(await events.error(for: 2))
        #expect(error.transport == "protocolViolation")
        #expect(error.message.contains("text/html"))
        #expect(error.message.contains(server.endpoint))
        await transport.close()
    }

    @Test("A JSON body that does not parse fails its request with the body's start")
    func bodyNotJSON() async throws {
        let server = try await PythonServer("scripted_server.py", ["not-json"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        try await transport.send(RPC.request(id: 2, "tools/list"))
        let error = try #require(await events.error(for: 2))
        #expect(error.transport == "protocolViolation")
        #expect(error.message.contains("not JSON"))
        await transport.close()
    }

    @Test("A JSON body over the 16 MiB cap is refused, and the transport goes on")
    func hugeJSONBody() async throws {
        let server = try await PythonServer("scripted_server.py", ["huge"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        try await transport.send(RPC.request(id: 2, "resources/read"))
        let error = try #require(await events.error(for: 2))
        #expect(error.transport == "protocolViolation")
        #expect(error.message.contains("16 MiB"))
        #expect(error.message.contains(server.endpoint))
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
        try await transport.send(RPC.request(id: 2, "tools/list"))
        let error = try #require(await events.error(for: 2))
        #expect(error.message.contains("262144 bytes"))
        await transport.close()
    }

    @Test("A server that never answers: request_timeout_ms (on the injected clock) answers the request with a timeout and hangs up")
    func timeout() async throws {
        let server = try await PythonServer("scripted_server.py", ["silent"])
        defer { server.stop() }
        let clock = RecordingClock()
        let transport = try Self.transport(server, timeout: 30_000, clock: clock)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        try await transport.send(RPC.call(id: 2, "hang"))
        _ = try await server.waitForRecord("the tools/call POST") { $0["body"]?.stringValue?.contains("hang") == true }
        clock.passHorizon()
        let error = try #require(await events.error(for: 2))
        #expect(error.transport == "timeout")
        #expect(error.message.contains("30000 ms"))
        #expect(error.message.contains("tools/call request 2"))
        _ = try await server.waitForRecord("the client hanging up") { $0["disconnected"] == "tools/call" }
        await transport.close()
    }

    @Test("Cancelling the task sending a notification aborts its POST")
    func cancellingTheSenderAbortsTheTransfer() async throws {
        let server = try await PythonServer("scripted_server.py", ["silent"])
        defer { server.stop() }
        let transport = try Self.transport(server, timeout: nil)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        let progress: JSONValue = ["jsonrpc": "2.0", "method": "notifications/progress", "params": ["progressToken": 1, "progress": 1]]
        let sending = Task { try await transport.send(progress) }
        _ = try await server.waitForRecord("the held notification") { $0["body"]?.stringValue?.contains("notifications/progress") == true }
        sending.cancel()
        let result = await sending.result
        #expect(throws: MCPTransportError.self) { try result.get() }
        _ = try await server.waitForRecord("the client hanging up") { $0["disconnected"] == "notifications/progress" }
        await transport.close()
    }

    @Test("Nothing listening at the endpoint: the request is answered with 'unreachable', naming it")
    func connectionRefused() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let transport = try Self.transport(endpoint: "http://127.0.0.1:1/mcp")
        var events = EventReader(transport)
        try await transport.send(RPC.initialize())
        let error = try #require(await events.error(for: 1))
        #expect(error.transport == "unreachable")
        #expect(error.message.contains("http://127.0.0.1:1/mcp") && error.message.contains("Is the server running"))
        await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.initialized) }
        await transport.close()
    }

    @Test("A 404 on the GET stream also means the session expired")
    func serverStreamSessionExpired() async throws {
        let server = try await PythonServer("scripted_server.py", ["get-expiry"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        guard case .closed(let reason) = await events.next() else {
            Issue.record("expected .closed")
            return
        }
        #expect(reason.message.contains("session expired"))
        #expect(transport.serverMessageStream == .closed)
        await transport.close()
    }

    @Test("close() with a request in flight aborts its POST and makes up no answer")
    func closeWithARequestInFlight() async throws {
        let server = try await PythonServer("scripted_server.py", ["silent"])
        defer { server.stop() }
        let transport = try Self.transport(server, timeout: nil)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        try await transport.send(RPC.call(id: 2, "hang"))
        _ = try await server.waitForRecord("the tools/call POST") { $0["body"]?.stringValue?.contains("hang") == true }
        await transport.close()
        guard case .closed = await events.next() else {
            Issue.record("no answer may be made up for a request the client closed under")
            return
        }
        _ = try await server.waitForRecord("the client hanging up") { $0["disconnected"] == "tools/call" }
    }

    @Test("A notification answered with a stream that never ends: send returns once the 2xx is in, and hangs up")
    func notificationAnsweredWithAStream() async throws {
        let server = try await PythonServer("scripted_server.py", ["ack-stream"])
        defer { server.stop() }
        let transport = try Self.transport(server, timeout: nil)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        try await transport.send(["jsonrpc": "2.0", "method": "notifications/progress", "params": ["progressToken": 1, "progress": 1]])
        _ = try await server.waitForRecord("the client hanging up") { $0["disconnected"] == "notifications/progress" }
        await transport.close()
    }

    @Test("notifications/cancelled for a request ends that request's POST, and no answer is made up for it")
    func cancelledNotificationAbortsTheRequest() async throws {
        let server = try await PythonServer("scripted_server.py", ["silent"])
        defer { server.stop() }
        let transport = try Self.transport(server, timeout: nil)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        try await transport.send(RPC.call(id: 2, "hang"))
        _ = try await server.waitForRecord("the tools/call POST") { $0["body"]?.stringValue?.contains("hang") == true }
        try await transport.send(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 2, "reason": "Ctrl+C"]])
        _ = try await server.waitForRecord("the client hanging up the tools/call") { $0["disconnected"] == "tools/call" }
        await transport.close()
        guard case .closed = await events.next() else {
            Issue.record("the cancelled request must get no made-up answer; .closed comes next")
            return
        }
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

        let apiKey = "key-9876543210"
        let bad = try Self.transport(server, token: "wrong-token-\(token)", headers: [HTTPHeaderField(name: "X-Api-Key", value: apiKey)])
        var badEvents = EventReader(bad)
        try await bad.send(RPC.initialize())
        let message = try #require(await badEvents.error(for: 1)?.message)
        #expect(message.contains("HTTP 401"))
        #expect(message.contains("invalid credentials"), "the server's words are quoted")
        #expect(!message.contains(token), "…but never the token: \(message)")
        #expect(!message.contains(apiKey), "…nor a secret-named header's value: \(message)")
        #expect(message.contains("x-pie-test") || message.contains("X-Pie-Test"), "other headers echoed stay readable")
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
        try await transport.send(RPC.request(id: 2, "tools/list"))
        let error = try #require(await events.error(for: 2))
        #expect(error.message.contains("HTTP 307"))
        #expect(error.message.contains("not followed"))
        #expect(error.message.contains("/elsewhere"), "the message names where the server pointed")
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
        #expect(clock.sleeps.prefix(2) == [.milliseconds(140), .milliseconds(140)], "retry: 140 is honoured for every reconnection")
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
        try await transport.send(RPC.request(id: 2, "tools/list"))
        let error = try #require(await events.error(for: 2))
        #expect(error.transport == "protocolViolation")
        #expect(error.message.contains("HTTP 202 and no body"))
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
        var events = EventReader(transport)
        try await transport.send(RPC.initialize())
        let error = try #require(await events.error(for: 1))
        #expect(error.transport == "protocolViolation")
        #expect(error.message.contains("session id"))
        #expect(transport.sessionID == nil)
        await transport.close()
        #expect(!server.records.contains { $0["method"] == "DELETE" })
    }

    /// The GET stream runs on its own task; its state follows the server's answer shortly after.
    static func waitForState(_ transport: StreamableHTTPTransport, _ expected: ServerMessageStreamState) async throws {
        for _ in 0..<1_000 where transport.serverMessageStream != expected { try await Task.sleep(for: .milliseconds(10)) }
        #expect(transport.serverMessageStream == expected)
    }

    static func waitForGETs(_ server: PythonServer, count: Int) async throws -> [JSONValue] {
        _ = try await server.waitForRecord("\(count) GETs") { _ in server.records.filter { $0["method"] == "GET" }.count >= count }
        return server.records.filter { $0["method"] == "GET" }
    }
}
