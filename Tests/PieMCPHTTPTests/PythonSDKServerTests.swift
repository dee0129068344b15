import PieJSON
import PieLocal
import PieMCP
import Testing

/// The transport against a server pie did not write: the official Python SDK's MCPServer
/// (`mcp` 2.3.0, installed by scripts/install-deps.sh) over streamable HTTP, in its SSE and JSON
/// response modes, driven with raw JSON-RPC values. The server's request log shows what crossed
/// the wire (session id, protocol version, Last-Event-ID, DELETE).
@Suite(.serialized, .timeLimit(.minutes(1))) struct PythonSDKServerTests {
    static func transport(_ server: PythonServer, clock: any RetryClock = SystemRetryClock()) throws -> StreamableHTTPTransport {
        let configuration = try StreamableHTTPConfiguration(endpoint: server.endpoint, requestTimeoutMilliseconds: 120_000)
        return StreamableHTTPTransport(configuration: configuration, http: try CurlTransport(), clock: clock)
    }

    /// initialize → initialized → tools/list → tools/call, then close.
    static func initialize(_ transport: StreamableHTTPTransport, _ events: inout EventReader, version: String = "2025-06-18") async throws {
        try await transport.start()
        try await transport.send(RPC.initialize(id: 1, version: version))
        let answer = await events.until(response: 1)
        #expect(answer.last?.message?["result"]?["protocolVersion"] == .string(version))
        #expect(answer.last?.message?["result"]?["serverInfo"]?["name"] == "pie-http-oracle")
        #expect(transport.protocolVersion == version)
        try await transport.send(RPC.initialized)
    }

    @Test("SSE mode: session id round trip, tool calls, messages on the POST's stream and the GET stream, DELETE on close")
    func sseMode() async throws {
        let server = try await PythonServer("python_sdk_server.py")
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)

        let assigned = try #require(transport.sessionID)
        let first = try await server.waitForRecord("the initialize POST") { $0["method"] == "POST" }
        #expect(first["assignedSession"] == .string(assigned))
        #expect(first["session"] == .null, "initialize starts a session: it carries no id")
        #expect(first["version"] == .null, "nor a protocol version, which is not negotiated yet")
        #expect(first["contentType"]?.stringValue?.hasPrefix("text/event-stream") == true)
        #expect(first["accept"] == "application/json, text/event-stream")

        try await transport.send(RPC.request(id: 2, "tools/list"))
        let listed = await events.until(response: 2)
        let names = (listed.last?.message?["result"]?["tools"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(Set(names).isSuperset(of: ["echo", "steps", "announce", "interrupted"]))

        // Notifications the tool sends while it runs arrive before its result, in order.
        try await transport.send(RPC.call(id: 3, "steps", progressToken: 77))
        let stepped = await events.until(response: 3)
        #expect(stepped.compactMap(\.method) == ["notifications/message", "notifications/progress"])
        #expect(stepped.first?.message?["params"]?["data"] == "step one")
        #expect(stepped.dropFirst().first?.message?["params"]?["progressToken"] == 77)
        #expect(stepped.last?.message?["result"]?["content"]?[0]?["text"] == "steps done")

        // A notification unrelated to any request can only come over the GET stream.
        try await transport.send(RPC.call(id: 4, "announce", ["uri": "file:///notes.txt"]))
        var sawResult = false
        var sawUpdate = false
        while !(sawResult && sawUpdate), let event = await events.next() {
            if event.message?["id"] == 4 { sawResult = true }
            if event.method == "notifications/resources/updated" {
                #expect(event.message?["params"]?["uri"] == "file:///notes.txt")
                sawUpdate = true
            }
        }
        #expect(sawResult && sawUpdate)
        #expect(transport.serverMessageStream == .open)

        let posts = server.records.filter { $0["method"] == "POST" }.dropFirst()
        #expect(posts.count == 4)
        for post in posts {
            #expect(post["session"] == .string(assigned), "every request after initialize carries the session id")
            #expect(post["version"] == "2025-06-18", "and the negotiated protocol version")
        }
        let get = try #require(server.records.first { $0["method"] == "GET" })
        #expect(get["status"] == 200 && get["session"] == .string(assigned) && get["accept"] == "text/event-stream")
        #expect(get["version"] == "2025-06-18")

        await transport.close()
        let delete = try await server.waitForRecord("the DELETE") { $0["method"] == "DELETE" }
        #expect(delete["session"] == .string(assigned) && delete["status"] == 200 && delete["version"] == "2025-06-18")
        guard case .closed(let error) = await events.next() else {
            Issue.record("close() must end the events with .closed")
            return
        }
        #expect(error.kind == .closed)
        #expect(await events.next() == nil)
        #expect(transport.serverMessageStream == .closed)
        await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.request(id: 5, "ping")) }
    }

    @Test("Concurrent calls each get their own POST stream; a server request over the GET stream is answered with a POST")
    func concurrencyAndServerRequests() async throws {
        let server = try await PythonServer("python_sdk_server.py")
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)

        async let first: Void = transport.send(RPC.call(id: 10, "steps", progressToken: 1))
        async let second: Void = transport.send(RPC.call(id: 11, "echo", ["text": "two"]))
        _ = try await (first, second)
        var results: [JSONValue: JSONValue] = [:]
        while results.count < 2, let event = await events.next() {
            if let message = event.message, let id = message["id"], message["result"] != nil { results[id] = message["result"] }
        }
        #expect(results[10]?["content"]?[0]?["text"] == "steps done")
        #expect(results[11]?["content"]?[0]?["text"] == "two")

        // The tool waits for the client's answer to the server's ping, which arrives over GET.
        let call = Task { try await transport.send(RPC.call(id: 12, "ping_client")) }
        let request = await events.until(method: "ping").last?.message
        let pingID = try #require(request?["id"])
        try await transport.send(["jsonrpc": "2.0", "id": pingID, "result": [:]])
        try await call.value
        let answered = await events.until(response: 12)
        #expect(answered.last?.message?["result"]?["content"]?[0]?["text"] == "client answered")
        // Two POSTs were accepted with 202: notifications/initialized and the answer to the ping.
        let accepted: @Sendable (JSONValue) -> Bool = { $0["method"] == "POST" && $0["status"] == 202 }
        _ = try await server.waitForRecord("the POST of the client's ping answer") { _ in server.records.filter(accepted).count == 2 }
        #expect(server.records.filter(accepted).last?["session"] == .string(transport.sessionID ?? ""))
        await transport.close()
    }

    @Test("JSON response mode: responses as application/json, server notifications still over the GET stream")
    func jsonMode() async throws {
        let server = try await PythonServer("python_sdk_server.py", ["--json"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)

        try await transport.send(RPC.call(id: 2, "echo", ["text": "über JSON"]))
        let echoed = await events.until(response: 2)
        #expect(echoed.count == 1)
        #expect(echoed.last?.message?["result"]?["content"]?[0]?["text"] == "über JSON")
        let post = try await server.waitForRecord("the tools/call POST") { $0["method"] == "POST" && $0["session"] != .null && $0["status"] == 200 }
        #expect(post["contentType"] == "application/json")

        try await transport.send(RPC.call(id: 3, "announce", ["uri": "file:///b"]))
        let announced = await events.until(method: "notifications/resources/updated")
        #expect(announced.last?.message?["params"]?["uri"] == "file:///b")

        // Unknown tool: the SDK answers with a result flagged as an error; the transport passes it on.
        try await transport.send(RPC.call(id: 4, "no_such_tool"))
        let missing = await events.until(response: 4)
        #expect(missing.last?.message?["result"]?["isError"] == true || missing.last?.message?["error"] != nil)

        await transport.close()
        _ = try await server.waitForRecord("the DELETE") { $0["method"] == "DELETE" && $0["status"] == 200 }
    }

    @Test("Stateless mode: no session id is assigned or sent, calls still work, close() sends no DELETE")
    func statelessMode() async throws {
        let server = try await PythonServer("python_sdk_server.py", ["--stateless", "--json"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        #expect(transport.sessionID == nil)
        try await transport.send(RPC.call(id: 2, "echo", ["text": "alone"]))
        #expect(await events.until(response: 2).last?.message?["result"]?["content"]?[0]?["text"] == "alone")
        let call = try await server.waitForRecord("the tools/call POST") { $0["method"] == "POST" && $0["version"] != .null }
        #expect(call["session"] == .null, "no session, no header")
        await transport.close()
        await #expect(throws: MCPTransportError.self) { try await transport.start() }
        // A request after close() is recorded after anything close() sent.
        try await CurlTransport().send(HTTPRequest(method: "GET", url: server.endpoint, headers: [("Accept", "text/sentinel")])) { _ in } onBody: { _ in true }
        _ = try await server.waitForRecord("the sentinel") { $0["accept"] == "text/sentinel" }
        #expect(!server.records.contains { $0["method"] == "DELETE" }, "without a session there is nothing to DELETE")
    }

    @Test("2025-11-25 polling: the server closes the tool's stream; the transport resumes it with Last-Event-ID after retry:")
    func resumesAStreamTheServerClosed() async throws {
        let server = try await PythonServer("python_sdk_server.py", ["--resumable", "120"])
        defer { server.stop() }
        let clock = RecordingClock()
        let transport = try Self.transport(server, clock: clock)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events, version: "2025-11-25")

        try await transport.send(RPC.call(id: 2, "interrupted"))
        let seen = await events.until(response: 2)
        let logs = seen.filter { $0.method == "notifications/message" }.map { $0.message?["params"]?["data"] }
        #expect(logs == ["before the break", "after the break"])
        #expect(seen.last?.message?["result"]?["content"]?[0]?["text"] == "resumed")
        let resumption = try await server.waitForRecord("a GET resuming the tool's stream") { $0["method"] == "GET" && $0["lastEventID"] != .null }
        #expect(resumption["status"] == 200)
        #expect(resumption["version"] == "2025-11-25")
        #expect(clock.sleeps.contains(.milliseconds(120)), "the server's retry: is waited, on the injected clock")
        await transport.close()
    }

    @Test("A session the server ended answers 404: .closed with 'session expired', and the transport refuses more")
    func sessionExpiry() async throws {
        let server = try await PythonServer("python_sdk_server.py", ["--json"])
        defer { server.stop() }
        let transport = try Self.transport(server)
        var events = EventReader(transport)
        try await Self.initialize(transport, &events)
        let session = try #require(transport.sessionID)

        // Another client ends the session (the SDK then forgets it and answers 404).
        let curl = try CurlTransport()
        try await curl.send(HTTPRequest(method: "DELETE", url: server.endpoint, headers: [("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18")])) { head in
            #expect(head.status == 200)
        } onBody: { _ in true }

        try await transport.send(RPC.request(id: 2, "tools/list"))
        var closing: MCPTransportError?
        while let event = await events.next() {
            if case .closed(let reason) = event { closing = reason }
        }
        #expect(closing?.message.contains("session expired") == true, "the client learns it must initialize again")
        let refused = await #expect(throws: MCPTransportError.self) { try await transport.send(RPC.request(id: 3, "ping")) }
        #expect(refused?.message.contains("session expired") == true)
        await transport.close()
    }
}
