import PieAgent
import PieJSON
import PieLocal
import PieMCP
import PiePolicy
import Synchronization
import Testing

@testable import PieRuntime

/// A server's tool list changing while a session runs (`notifications/tools/list_changed`):
/// the change reaches the model with the next request, never the batch of calls running when it
/// came, and every new tool is checked as the first list was (name, schema, the `tools` filter)
/// and judged by the `[mcp]` policy when called.
@Suite struct MCPToolRefreshTests {
    /// Two calls in one reply; the first makes the server drop the second's tool and add others.
    @Test func aListChangeReachesTheNextRequestAndNeverTheBatchRunningWhenItCame() async throws {
        let scratch = try Scratch()
        let profile = try scratch.write(
            "policy.toml", "extends = \"hardened\"\n[mcp]\nallow = [\"mem/a\", \"mem/b\", \"mem/swap\", \"mem/c\"]\n")
        let server = InMemoryToolServer(tools: ["a", "b", "swap"])
        let connection = MCPServerConnection(name: "mem") { server }
        let config = MCPServerConfig(
            name: "mem", kind: .stdio, command: "/bin/true", tools: .init(deny: ["secret_*"]), file: "mcp.toml", line: 1)
        let toolbox = await MCPToolbox.start([(config, connection)])
        defer { Task { await toolbox.close() } }
        #expect(toolbox.warnings.isEmpty)
        #expect(toolbox.tools.map(\.name) == ["mcp__mem__a", "mcp__mem__b", "mcp__mem__swap"])

        let guarded = try AgentBuilderTests.builder(scratch).toolRunner(
            policy: PolicySelection(profile: profile), cwd: scratch.project, auditSession: "test",
            extraTools: toolbox.tools)
        let changes = Mutex<[MCPToolChange]>([])
        var hooks = guarded.hooks
        hooks.refreshTools = toolbox.toolRefresher { change in changes.withLock { $0.append(change) } }
        let provider = ScriptedModel([
            .calls([("1", "mcp__mem__swap"), ("2", "mcp__mem__b")]),
            .calls([("3", "mcp__mem__b"), ("4", "mcp__mem__c"), ("5", "mcp__mem__d")]),
            .text("done"),
        ])
        let configuration = AgentConfiguration(
            provider: provider, model: ModelDescriptor(id: "scripted", api: .openAICompletions, provider: "test", baseURL: ""),
            tools: guarded.runner, hooks: hooks)

        let result = await AgentLoop(configuration: configuration).run(prompts: [.user("go")])

        #expect(result.outcome == .completed)
        let offered = provider.requests.map { request in request.tools.map(\.name).filter { $0.hasPrefix("mcp__") } }
        #expect(offered == [
            ["mcp__mem__a", "mcp__mem__b", "mcp__mem__swap"],
            ["mcp__mem__a", "mcp__mem__swap", "mcp__mem__c", "mcp__mem__d"],
            ["mcp__mem__a", "mcp__mem__swap", "mcp__mem__c", "mcp__mem__d"],
        ])
        // The coding tools keep their place in front of the MCP tools.
        #expect(provider.requests[1].tools.first?.name == provider.requests[0].tools.first?.name)
        let results = result.newMessages.compactMap(\.toolResult).map { ($0.toolCallID, $0.isError, $0.text) }
        try #require(results.count == 5)
        // Call 2 was in the batch the model chose from the old list: it ran against that list.
        #expect(results[1] == ("2", false, "ran b"))
        #expect(results[2] == ("3", true, "Tool mcp__mem__b not found"))
        #expect(results[3] == ("4", false, "ran c"))
        // A tool the server added later is judged by the [mcp] policy like any other.
        #expect(results[4].0 == "5" && results[4].1 && results[4].2.contains("mem/d"), "\(results[4])")
        #expect(server.calls == ["swap", "b", "c"])

        let reported = changes.withLock { $0 }
        try #require(reported.count == 1)
        #expect(reported[0].added == ["mcp__mem__c", "mcp__mem__d"])
        #expect(reported[0].removed == ["mcp__mem__b"])
        #expect(reported[0].warnings.count == 1 && reported[0].warnings[0].contains("'bad' of 'mem' not offered: its input schema cannot be checked"))
        #expect(reported[0].description.hasPrefix(
            "MCP server 'mem' changed its tools; now offered: mcp__mem__c, mcp__mem__d; no longer offered: mcp__mem__b; MCP tool 'bad'"))
        // Listed once at the start and once after the change, each time every page.
        #expect(server.listRequests == 3 + 6)
    }

    @Test func anUnchangedListLeavesTheRunnerAsItIsAndAChangedSchemaIsAChange() async throws {
        let server = InMemoryToolServer(tools: ["a"])
        let connection = MCPServerConnection(name: "mem") { server }
        let config = MCPServerConfig(name: "mem", kind: .stdio, command: "/bin/true", file: "mcp.toml", line: 1)
        let toolbox = await MCPToolbox.start([(config, connection)])
        defer { Task { await toolbox.close() } }
        let scratch = try Scratch()
        let runner = try AgentBuilderTests.builder(scratch).toolRunner(
            policy: PolicySelection(preset: .balanced), cwd: scratch.project, auditSession: "test", extraTools: toolbox.tools
        ).runner

        #expect(await toolbox.refresh().isEmpty)
        #expect(toolbox.replacingTools(in: runner) == nil)
        server.announce { $0 }  // a list_changed whose list is the same
        try await Self.settle(connection)
        #expect(await connection.toolListStamp().changes == 1)
        #expect(await toolbox.refresh().isEmpty)
        #expect(toolbox.replacingTools(in: runner) == nil)

        server.describe("a", as: "a changed tool")
        server.announce { $0 }  // same name, described anew
        try await Self.settle(connection)
        #expect(await toolbox.refresh() == [MCPToolChange(server: "mem", changed: ["mcp__mem__a"])])
        let replaced = try #require(toolbox.replacingTools(in: runner))
        // The agent's own tools as they were, the server's tool replaced in its place.
        #expect(replaced.tools.map(\.name) == runner.tools.map(\.name))
        #expect(replaced.tools.map(\.name).suffix(1) == ["mcp__mem__a"])
        #expect(replaced.tools.last?.description.hasSuffix("a changed tool") == true)
    }

    @Test func aListThatFailsKeepsTheToolsIsReportedOnceAndIsTriedAgain() async throws {
        let server = InMemoryToolServer(tools: ["a"])
        let connection = MCPServerConnection(name: "mem") { server }
        let config = MCPServerConfig(name: "mem", kind: .stdio, command: "/bin/true", file: "mcp.toml", line: 1)
        let toolbox = await MCPToolbox.start([(config, connection)])
        defer { Task { await toolbox.close() } }
        let scratch = try Scratch()
        let runner = try AgentBuilderTests.builder(scratch).toolRunner(
            policy: PolicySelection(preset: .balanced), cwd: scratch.project, auditSession: "test", extraTools: toolbox.tools
        ).runner

        server.failLists(true)
        server.announce { $0 + ["b"] }
        try await Self.settle(connection)
        let first = await toolbox.refresh()
        #expect(first.count == 1 && first[0].isEmpty)
        #expect(first.first?.warnings.first?.hasPrefix("its tools changed but could not be listed again: tools/list failed: lists are down (scripted)") == true, "\(first)")
        #expect(await toolbox.refresh().isEmpty, "the same failure was reported twice")
        #expect(toolbox.replacingTools(in: runner) == nil)
        #expect(toolbox.tools.map(\.name) == ["mcp__mem__a"])

        server.failLists(false)
        #expect(await toolbox.refresh() == [MCPToolChange(server: "mem", added: ["mcp__mem__b"])])
        #expect(toolbox.replacingTools(in: runner)?.tools.suffix(2).map(\.name) == ["mcp__mem__a", "mcp__mem__b"])
    }

    /// Returns once the client has read everything the server sent before: the server answers
    /// this ping after those messages, on the same stream.
    static func settle(_ connection: MCPServerConnection) async throws {
        try await connection.client().ping()
    }
}

/// A model that plays one scripted reply per request and records the requests.
final class ScriptedModel: Provider {
    enum Reply: Sendable {
        case calls([(id: String, name: String)])
        case text(String)
    }

    private let state: Mutex<(replies: [Reply], requests: [ChatRequest])>

    init(_ replies: [Reply]) {
        state = Mutex((replies, []))
    }

    var requests: [ChatRequest] { state.withLock { $0.requests } }

    func stream(
        _ request: ChatRequest, model: ModelDescriptor, apiKey: String?, onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async throws {
        let reply = state.withLock { state -> Reply? in
            state.requests.append(request)
            return state.replies.isEmpty ? nil : state.replies.removeFirst()
        }
        switch reply {
        case .calls(let calls):
            for (index, call) in calls.enumerated() {
                onEvent(.toolCallStart(index: index, id: call.id, name: call.name))
                onEvent(.toolCallEnd(index: index, call: ToolCall(id: call.id, name: call.name, arguments: .object([:]))))
            }
            onEvent(.stop(.toolUse))
        case .text(let text):
            onEvent(.textDelta(text))
            onEvent(.stop(.stop))
        case nil:
            throw ProviderError.streamError(message: "the scripted model has no reply left")
        }
    }
}

/// An MCP server in memory: lists its tools one page of 1 at a time, answers each call with
/// "ran NAME", and on `swap` drops `b`, adds `c`, `d`, a tool with a schema pie cannot check
/// and one the `tools` filter denies, and says so with `notifications/tools/list_changed`
/// before the call's result, as a real server does.
final class InMemoryToolServer: MCPTransport {
    let events: AsyncStream<MCPTransportEvent>
    private let continuation: AsyncStream<MCPTransportEvent>.Continuation
    private let state: Mutex<(tools: [String], descriptions: [String: String], calls: [String], lists: Int)>
    private let listsFail = Mutex(false)

    init(tools: [String]) {
        (events, continuation) = AsyncStream.makeStream(of: MCPTransportEvent.self)
        state = Mutex((tools, [:], [], 0))
    }

    var calls: [String] { state.withLock { $0.calls } }
    var listRequests: Int { state.withLock { $0.lists } }

    /// Changes the tool list with `change` and sends `notifications/tools/list_changed`.
    func announce(_ change: ([String]) -> [String]) {
        state.withLock { $0.tools = change($0.tools) }
        continuation.yield(.message(["jsonrpc": "2.0", "method": "notifications/tools/list_changed"]))
    }

    /// Makes `tools/list` answer with a JSON-RPC error (a server in trouble) or work again.
    func failLists(_ fail: Bool) {
        listsFail.withLock { $0 = fail }
    }

    func describe(_ tool: String, as description: String) {
        state.withLock { $0.descriptions[tool] = description }
    }

    func start() async throws(MCPTransportError) {}

    func send(_ message: JSONValue) async throws(MCPTransportError) {
        guard let id = message["id"], let method = message["method"]?.stringValue else { return }
        let result: JSONValue
        switch method {
        case "initialize":
            result = [
                "protocolVersion": "2025-06-18", "capabilities": ["tools": ["listChanged": true]],
                "serverInfo": ["name": "in-memory", "version": "1"],
            ]
        case "tools/list" where listsFail.withLock({ $0 }):
            let error: JSONValue = ["code": -32603, "message": "lists are down (scripted)"]
            continuation.yield(.message(["jsonrpc": "2.0", "id": id, "error": error]))
            return
        case "tools/list":
            let (tools, descriptions) = state.withLock { state in
                state.lists += 1
                return (state.tools, state.descriptions)
            }
            let start = Int(message["params"]?["cursor"]?.stringValue ?? "0") ?? 0
            let name = tools[start]
            let schema: JSONValue =
                name == "bad" ? ["type": "object", "properties": ["x": ["type": "no-such-type"]]] : ["type": "object"]
            var page: JSONObject = ["tools": [["name": .string(name), "description": .string(descriptions[name] ?? name), "inputSchema": schema]]]
            if start + 1 < tools.count { page["nextCursor"] = .string(String(start + 1)) }
            result = .object(page)
        case "tools/call":
            let name = message["params"]?["name"]?.stringValue ?? ""
            state.withLock { $0.calls.append(name) }
            if name == "swap" {
                announce { tools in tools.filter { $0 != "b" } + ["c", "d", "bad", "secret_key"] }
            }
            result = ["content": [["type": "text", "text": .string("ran \(name)")]]]
        default:
            result = [:]
        }
        continuation.yield(.message(["jsonrpc": "2.0", "id": id, "result": result]))
    }

    func close() async {
        continuation.yield(.closed(MCPTransportError(.closed, "closed by the test")))
        continuation.finish()
    }
}

extension ToolResultMessage {
    var text: String {
        content.compactMap { block in
            if case .text(let text) = block { return text }
            return nil
        }.joined()
    }
}
