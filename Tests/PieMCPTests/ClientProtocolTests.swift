import PieJSON
import Synchronization
import Testing

@testable import PieMCP

/// The client's JSON-RPC bookkeeping against an in-memory transport: what it sends, and what it
/// does with answers that arrive late, in batches, or with a token in another spelling.
@Suite("MCP client protocol bookkeeping") struct ClientProtocolTests {
    private func connected() async throws -> (MCPClient, ScriptedTransport) {
        let transport = ScriptedTransport(healthy: true)
        let client = MCPClient(serverName: "unit", transport: transport)
        try await client.connect()
        return (client, transport)
    }

    @Test func theHandshakeOffersTheLatestVersionAndNoCapabilities() async throws {
        let (client, transport) = try await connected()
        defer { Task { await client.close() } }
        let sent = transport.sent
        #expect(sent.count == 2)
        #expect(sent[0]["params"]?["protocolVersion"] == "2025-06-18")
        #expect(sent[0]["params"]?["capabilities"] == [:])
        #expect(sent[0]["params"]?["clientInfo"]?["name"] == "pie")
        #expect(sent[1] == ["jsonrpc": "2.0", "method": "notifications/initialized"])
    }

    @Test func argumentsThatAreNotAnObjectAreRefusedBeforeSending() async throws {
        let (client, transport) = try await connected()
        defer { Task { await client.close() } }
        do {
            _ = try await client.callTool("search", arguments: ["q"])
            Issue.record("array arguments were sent")
        } catch {
            #expect(error.kind == .invalidRequest)
            #expect(error.description == "MCP server 'unit': the arguments of tool 'search' must be a JSON object, not [\"q\"]")
        }
        #expect(!transport.sent.contains { $0["method"] == "tools/call" })
    }

    @Test func aCancelledCallerNeverWaits() async throws {
        let (client, transport) = try await connected()
        defer { Task { await client.close() } }
        let call = Task { try await client.ping() }
        call.cancel()
        do {
            try await call.value
            Issue.record("a cancelled ping returned")
        } catch let error as MCPError {
            #expect(error.kind == .cancelled)
        }
        // Either it was never sent, or it was sent and then cancelled by id.
        let pings = transport.sent.filter { $0["method"] == "ping" }
        let cancels = transport.sent.filter { $0["method"] == "notifications/cancelled" }
        #expect(pings.count == cancels.count)
        if let ping = pings.first {
            #expect(cancels.first?["params"]?["requestId"] == ping["id"])
        }
    }

    @Test func lateBatchedAndStrayAnswers() async throws {
        let (client, transport) = try await connected()
        defer { Task { await client.close() } }
        let seen = Mutex<[Double]>([])
        let call = Task {
            try await client.callTool("t", arguments: [:], timeoutMs: 0) { progress in seen.withLock { $0.append(progress.progress) } }
        }
        try await waitUntil { transport.sent.contains { $0["method"] == "tools/call" } }
        let request = try #require(transport.sent.first { $0["method"] == "tools/call" })
        let id = try #require(request["id"])
        #expect(request["params"]?["_meta"]?["progressToken"] == id)
        let token = JSONValue.string(JSONWriter.string(id))
        transport.inject(
            .message([
                ["jsonrpc": "2.0", "method": "notifications/progress", "params": ["progressToken": token, "progress": 5]],
                ["jsonrpc": "2.0", "id": 999, "result": [:]],
                ["jsonrpc": "2.0", "id": id, "result": ["content": [["type": "text", "text": "ok"]]]],
            ]))
        #expect(try await call.value.text == "ok")
        #expect(seen.withLock { $0 } == [5])
        transport.inject(.message(["jsonrpc": "2.0", "id": id, "result": [:]]))
        transport.inject(.malformed("a line that is not JSON"))
        for _ in 0..<500 {
            let counters = await client.counters
            if counters.unknownResponses == 2, counters.malformedMessages == 1 { break }
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(await client.counters.unknownResponses == 2)
        #expect(await client.counters.malformedMessages == 1)
        #expect(await client.lastMalformed == "a line that is not JSON")
    }

    /// Polls an in-memory condition (the actor hops take a moment).
    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(2)) }
        #expect(condition())
    }
}
