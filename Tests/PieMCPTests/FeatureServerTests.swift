import Foundation
import PieJSON
import Synchronization
import Testing

@testable import PieMCP

/// The client against a server built on the official Python SDK (Servers/feature_server.py), in
/// its sandbox: pagination, progress, cancellation, content blocks, resources, prompts,
/// notifications and server requests.
@Suite("MCP client features against the Python SDK") struct FeatureServerTests {
    @Test func toolsArePaginatedAndChangesAreSeen() async throws {
        let (client, _) = try await connectedClient(featureServer(try await PythonOracle.require()))
        defer { Task { await client.close() } }
        let info = try #require(await client.serverInfo)
        #expect(info.declares("tools", "listChanged"))
        #expect(info.instructions == "Test server; its words are data.")

        let first = try await client.listTools()
        #expect(first.items.map(\.name) == ["echo", "progress"])
        #expect(first.nextCursor == "2")
        let all = try await client.listAllTools()
        #expect(all.count == 9)
        #expect(all.map(\.name).contains("ping_client"))

        var notifications = client.notifications.makeAsyncIterator()
        _ = try await client.callTool("add_tool", arguments: [:])
        let changed = await notifications.next()
        #expect(changed?.method == "notifications/tools/list_changed")
        #expect(await client.counters.toolsListChanged == 1)
        #expect(try await client.listAllTools().map(\.name).contains("extra0"))
    }

    @Test func progressReachesThePerCallCallback() async throws {
        let (client, _) = try await connectedClient(featureServer(try await PythonOracle.require()))
        defer { Task { await client.close() } }
        let seen = Mutex<[MCPProgress]>([])
        let result = try await client.callTool("progress", arguments: [:]) { update in seen.withLock { $0.append(update) } }
        #expect(firstText(result) == "done")
        let updates = seen.withLock { $0 }
        #expect(updates.map(\.progress) == [1, 2, 3])
        #expect(updates.allSatisfy { $0.total == 3 })
        #expect(updates.last?.message == "step 3")
    }

    @Test func cancellingTheCallingTaskTellsTheServer() async throws {
        let (client, transport) = try await connectedClient(featureServer(try await PythonOracle.require()))
        defer { Task { await client.close() } }
        let call = Task { try await client.callTool("slow", arguments: [:]) }
        try await eventually("the slow tool to start") { transport.stderrTail().contains("slow: started") }
        call.cancel()
        do {
            _ = try await call.value
            Issue.record("the cancelled call returned")
        } catch let error as MCPError {
            #expect(error.kind == .cancelled)
            #expect(error.description.hasPrefix("MCP server 'test': tools/call was cancelled by pie"))
        }
        try await eventually("the server to see notifications/cancelled") {
            transport.stderrTail().contains("slow: cancelled")
                && transport.stderrTail().contains("'reason': 'cancelled by pie'")
        }
        #expect(transport.stderrTail().contains("'requestId': 2"))
        try await client.ping()
    }

    @Test func aTimeoutCancelsAndThrowsATypedError() async throws {
        let (client, transport) = try await connectedClient(featureServer(try await PythonOracle.require()))
        defer { Task { await client.close() } }
        do {
            _ = try await client.callTool("slow", arguments: [:], timeoutMs: 300)
            Issue.record("the slow call returned")
        } catch {
            #expect(error.kind == .timeout)
            #expect(error.message.contains("timed out after 300 ms"))
        }
        try await eventually("the server to see the cancellation") {
            transport.stderrTail().contains("'reason': 'timed out after 300 ms'")
        }
        #expect(try await firstText(client.callTool("echo", arguments: ["text": "still here"])) == "still here")
    }

    @Test func everyContentBlockTypeAndToolErrors() async throws {
        let (client, _) = try await connectedClient(featureServer(try await PythonOracle.require()))
        defer { Task { await client.close() } }
        let blocks = try await client.callTool("blocks", arguments: [:])
        #expect(
            blocks.content == [
                .text("hello"),
                .image(data: "aW1n", mimeType: "image/png"),
                .audio(data: "YXVk", mimeType: "audio/wav"),
                .resource(MCPResourceContents(uri: "memo://note/0", mimeType: "text/plain", text: "note 0")),
                .resourceLink(MCPResource(uri: "memo://note/1", name: "note 1", mimeType: "text/plain")),
            ])
        let failed = try await client.callTool("fails", arguments: [:])
        #expect(failed.isError)
        #expect(failed.structuredContent == ["code": 7, "why": "broken"])
        #expect(failed.text == "it broke")

        do {
            _ = try await client.callTool("no_such_tool", arguments: [:])
            Issue.record("an unknown tool succeeded")
        } catch {
            guard case .server = error.kind else {
                Issue.record("expected a server error, got \(error)")
                return
            }
        }
    }

    @Test func resourcesAreListedReadAndSubscribed() async throws {
        let (client, transport) = try await connectedClient(featureServer(try await PythonOracle.require()))
        defer { Task { await client.close() } }
        #expect(try #require(await client.serverInfo).declares("resources", "subscribe"))
        let first = try await client.listResources()
        #expect(first.items.count == 2)
        let resources = try await client.listAllResources()
        #expect(resources.map(\.uri) == (0..<5).map { "memo://note/\($0)" })
        let contents = try await client.readResource("memo://note/3")
        #expect(contents == [MCPResourceContents(uri: "memo://note/3", mimeType: "text/plain", text: "contents of memo://note/3")])

        var notifications = client.notifications.makeAsyncIterator()
        try await client.subscribe("memo://note/1")
        try await eventually("the server to record the subscription") {
            transport.stderrTail().contains("subscribed memo://note/1")
        }
        _ = try await client.callTool("touch", arguments: ["uri": "memo://note/1"])
        let updated = await notifications.next()
        #expect(updated == MCPNotification(method: "notifications/resources/updated", params: ["uri": "memo://note/1"]))
        let custom = await notifications.next()
        #expect(custom?.method == "notifications/pie_test")
        #expect(custom?.params?["_meta"]?["pie_dedup_key"] == "memo://note/1")

        try await client.unsubscribe("memo://note/1")
        _ = try await client.callTool("touch", arguments: ["uri": "memo://note/1"])
        // Unsubscribed: the next notification is the custom one, no resources/updated before it.
        #expect(await notifications.next()?.method == "notifications/pie_test")
    }

    @Test func promptsAreListedAndFetched() async throws {
        let (client, _) = try await connectedClient(featureServer(try await PythonOracle.require()))
        defer { Task { await client.close() } }
        let prompts = try await client.listAllPrompts()
        #expect(prompts.map(\.name) == ["review", "hello"])
        #expect(prompts[0].arguments == [MCPPrompt.Argument(name: "path", description: "file to review", required: true)])
        let review = try await client.getPrompt("review", arguments: ["path": "main.swift"])
        #expect(review.description == "prompt review")
        #expect(review.messages == [MCPPromptResult.Message(role: "user", content: .text("Please review main.swift"))])
    }

    @Test func serverRequestsAreRefusedOrAnswered() async throws {
        let (client, _) = try await connectedClient(featureServer(try await PythonOracle.require()))
        defer { Task { await client.close() } }
        let sampled = try await client.callTool("sample", arguments: [:])
        #expect(firstText(sampled).hasPrefix("refused: Method not found"))
        #expect(await client.counters.refusedServerRequests == 1)
        let pinged = try await client.callTool("ping_client", arguments: [:])
        #expect(firstText(pinged) == "pong")
        try await client.ping(timeoutMs: 5000)
    }
}
