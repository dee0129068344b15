import Testing
@testable import PieLocal
import PieTestSupport
import PieJSON

@Suite struct OpenAICompletionsTests {
    let transport: CurlTransport

    init() throws {
        transport = try CurlTransport()
    }

    private func run(
        _ server: ScriptedServer, model: ModelDescriptor? = nil, request: ChatRequest = ChatRequest(messages: [.user("hi")])
    ) async throws -> EventCollector {
        let collector = EventCollector()
        try await OpenAICompletions(transport: transport)
            .stream(request, model: model ?? TestModels.local(server.baseURL), apiKey: nil, onEvent: collector.onEvent)
        return collector
    }

    @Test func streamsTextUsageAndStop() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(OpenAICompletionsFixtures.text)])
        let events = try await run(server)
        #expect(events.text == "Hello, world")
        #expect(events.usage == Usage(input: 10, output: 3, cacheRead: 2))
        #expect(events.stopReason == .stop)
        #expect(server.requests.first?.path == "/v1/chat/completions")
    }

    @Test func assemblesParallelToolCallsInterleavedByIndex() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(OpenAICompletionsFixtures.parallelToolCalls)])
        let events = try await run(server)
        #expect(events.toolCalls == [
            ToolCall(id: "call_a", name: "read", arguments: ["path": "a.txt"], rawArguments: #"{"path": "a.txt"}"#),
            ToolCall(id: "call_b", name: "ls", arguments: ["dir": "."], rawArguments: #"{"dir": "."}"#),
        ])
        #expect(events.stopReason == .toolUse)
        let starts = events.events.filter { if case .toolCallStart = $0 { true } else { false } }
        #expect(starts == [.toolCallStart(index: 0, id: "call_a", name: "read"), .toolCallStart(index: 1, id: "call_b", name: "ls")])
    }

    @Test func toleratesLocalServerQuirks() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(OpenAICompletionsFixtures.localQuirks)])
        let events = try await run(server)
        #expect(events.thinking == "Let me think.")
        #expect(events.events.filter { if case .thinkingSignature = $0 { true } else { false } } == [.thinkingSignature("reasoning_content")])
        let call = try #require(events.toolCalls.first)
        #expect(call.name == "bash")
        #expect(call.arguments == ["cmd": "ls"])
        #expect(call.id.hasPrefix("call_"))
        #expect(events.stopReason == .toolUse, "local servers say stop after tool calls")
        #expect(events.usage == nil)
        // The buffered arguments are replayed as one delta right after the start.
        let deltas = events.events.compactMap { if case .toolCallDelta(_, let fragment, _) = $0 { fragment } else { nil } }
        #expect(deltas == ["{\"cmd\":\"ls\"}"])
    }

    @Test func generatedToolCallIDsAreStableForTheSameRequest() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(OpenAICompletionsFixtures.localQuirks)])
        let first = try await run(server)
        let second = try await run(server)
        #expect(first.toolCalls.first?.id == second.toolCalls.first?.id)
    }

    /// The repaired object keeps history replayable; the raw text is what the agent validates,
    /// so the model is told its JSON was malformed instead of the call running on a guess.
    @Test func malformedArgumentsKeepTheirRawText() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(OpenAICompletionsFixtures.truncatedToolArguments)])
        let events = try await run(server)
        let call = try #require(events.toolCalls.first)
        #expect(call.rawArguments == #"{"path": "a.txt""#)
        #expect(call.argumentText == #"{"path": "a.txt""#)
        #expect(call.arguments == ["path": "a.txt"])
    }

    @Test func separatesCallsThatShareAnIndex() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(OpenAICompletionsFixtures.toolCallsSharingIndex)])
        let events = try await run(server)
        #expect(events.toolCalls == [
            ToolCall(id: "a1", name: "read", arguments: ["path": "x"], rawArguments: #"{"path":"x"}"#),
            ToolCall(id: "b2", name: "read", arguments: ["path": "y"], rawArguments: #"{"path":"y"}"#),
        ])
    }

    @Test func redirectIsAnErrorNotAnEmptyAnswer() async throws {
        let server = try ScriptedServer(responses: [
            HTTPResponses.json("", status: "301 Moved Permanently", headers: ["Location: https://elsewhere/v1/chat/completions"])
        ])
        await #expect(throws: ProviderError.http(status: 301, retryAfterMilliseconds: nil, briefBody: "")) {
            _ = try await run(server)
        }
    }

    @Test func readsOllamaReasoningWithCROnlyFraming() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(OpenAICompletionsFixtures.ollamaReasoning)])
        let events = try await run(server)
        #expect(events.thinking == "hmm")
        #expect(events.text == "ok")
        #expect(events.stopReason == .length)
    }

    /// Chunks are read field by field rather than through a dictionary, with the same results:
    /// spacing and order do not matter, a repeated name counts once (the last), and names
    /// match by text, escapes included.
    @Test func readsChunksTheWayAnObjectReads() async throws {
        let body = """
            data: { "choices" : [ { "delta" : { "content" : "a", "content" : "b" }, "index" : 0 } ], "id" : "x" }

            data: {"choices":[{"delta":{"con\\u0074ent":"c","reasoning":"r","reasoning_content":""}}]}

            data: {"choices":[{"delta":{"tool_calls":[{"function":{"arguments":"{}","name":"ls"},"id":"call_1","index":0}]}}],"usage":null}

            data: {"choices":[{"finish_reason":"tool_calls","delta":{}}],"usage":{"prompt_tokens":5,"completion_tokens":2}}


            """
        let server = try ScriptedServer(responses: [HTTPResponses.sse(body)])
        let events = try await run(server)
        #expect(events.text == "bc")
        #expect(events.thinking == "r")
        #expect(events.toolCalls == [ToolCall(id: "call_1", name: "ls", arguments: [:], rawArguments: "{}")])
        #expect(events.usage == Usage(input: 5, output: 2))
        #expect(events.stopReason == .toolUse)
    }

    @Test func invalidJSONInAChunkIsAMalformedStream() async throws {
        let server = try ScriptedServer(responses: [
            HTTPResponses.sse("data: {\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\ndata: {\"choices\":[}\n\n")
        ])
        let collector = EventCollector()
        await #expect(throws: ProviderError.malformedStream(
            detail: #"invalid JSON in message event (unexpected character at byte 12): {"choices":[}"#)
        ) {
            try await OpenAICompletions(transport: transport).stream(
                ChatRequest(messages: [.user("hi")]), model: TestModels.local(server.baseURL), apiKey: nil,
                onEvent: collector.onEvent)
        }
        #expect(collector.text == "ok")
    }

    @Test func errorChunkMidStreamIsRetryableOverload() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(OpenAICompletionsFixtures.errorMidStream)])
        let collector = EventCollector()
        await #expect(throws: ProviderError.overloaded(message: "Upstream overloaded, try again")) {
            try await OpenAICompletions(transport: transport).stream(
                ChatRequest(messages: [.user("hi")]), model: TestModels.local(server.baseURL), apiKey: nil,
                onEvent: collector.onEvent)
        }
        #expect(collector.text == "partial")
    }

    @Test func contextOverflowFromLlamaCppIsReportedAsSuch() async throws {
        let server = try ScriptedServer(responses: [
            HTTPResponses.json(OpenAICompletionsFixtures.contextOverflowBody, status: "400 Bad Request")
        ])
        do {
            _ = try await run(server)
            Issue.record("expected a failure")
        } catch let error as ProviderError {
            guard case .contextOverflow = error else { Issue.record("got \(error)"); return }
            #expect(!error.isRetryable)
        }
    }

    @Test func htmlErrorBodyIsShownBrieflyWithSecretsRedacted() async throws {
        let html = "<html><head><title>502</title></head><body><h1>Bad Gateway</h1><p>key sk-secret-123456 Bearer abc.def</p></body></html>"
        let server = try ScriptedServer(responses: [HTTPResponses.json(html, status: "502 Bad Gateway")])
        let collector = EventCollector()
        do {
            try await OpenAICompletions(transport: transport).stream(
                ChatRequest(messages: [.user("hi")]), model: TestModels.local(server.baseURL), apiKey: "sk-secret-123456",
                onEvent: collector.onEvent)
            Issue.record("expected a failure")
        } catch let error as ProviderError {
            #expect(error.isRetryable)
            #expect(error.message.contains("Bad Gateway"))
            #expect(!error.message.contains("sk-secret"))
            #expect(!error.message.contains("abc.def"))
            #expect(!error.message.contains("<h1>"))
        }
        #expect(server.requests.first?.headers["authorization"] == "Bearer sk-secret-123456")
    }

    @Test func nonStreamingResponseYieldsTheSameEvents() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.json(OpenAICompletionsFixtures.nonStreaming)])
        let events = try await run(server, request: ChatRequest(messages: [.user("hi")], stream: false))
        #expect(events.toolCalls == [ToolCall(id: "call_1", name: "read", arguments: ["path": "x"], rawArguments: #"{"path":"x"}"#)])
        #expect(events.usage == Usage(input: 5, output: 7))
        #expect(events.stopReason == .toolUse)
        #expect(server.requests.first?.json?["stream"] == false)
    }

    @Test func loopbackDefaultsSendWhatLocalServersAccept() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(OpenAICompletionsFixtures.text)])
        let request = ChatRequest(
            systemPrompt: "be brief", messages: [.user("hi")],
            tools: [ToolSpec(name: "read", description: "Read a file", parameters: ["type": "object"])])
        _ = try await run(server, model: TestModels.local(server.baseURL, reasoning: true), request: request)
        let body = try #require(server.requests.first?.json)
        #expect(body["messages"]?[0]?["role"] == "system")
        #expect(body["max_tokens"] == 16_384)
        #expect(body["max_completion_tokens"] == nil)
        #expect(body["store"] == nil)
        #expect(body["stream_options"] == ["include_usage": true])
        #expect(body["tools"]?[0]?["function"]?["strict"] == nil)
        #expect(body["tools"]?[0]?["function"]?["name"] == "read")
    }

    @Test func hostedDefaultsFollowOpenAI() {
        let model = ModelDescriptor(id: "o4-mini", api: .openAICompletions, provider: "openai", baseURL: "https://api.openai.com/v1", reasoning: true)
        let request = ChatRequest(systemPrompt: "sys", messages: [.user("hi")],
                                  tools: [ToolSpec(name: "t", description: "d", parameters: [:])], thinking: .high)
        let body = OpenAICompletions.body(for: request, model: model)
        #expect(body["messages"]?[0]?["role"] == "developer")
        #expect(body["max_completion_tokens"] == 16_384)
        #expect(body["store"] == false)
        #expect(body["reasoning_effort"] == "high")
        #expect(body["tools"]?[0]?["function"]?["strict"] == false)
    }

    @Test(arguments: [
        (CompatFlags.ThinkingFormat.openai, "reasoning_effort", JSONValue.string("medium")),
        (.openrouter, "reasoning", JSONValue.object(["effort": "medium"])),
        (.deepseek, "thinking", JSONValue.object(["type": "enabled"])),
        (.together, "reasoning", JSONValue.object(["enabled": true])),
        (.zai, "thinking", JSONValue.object(["type": "enabled"])),
        (.qwen, "enable_thinking", JSONValue.bool(true)),
        (.qwenChatTemplate, "chat_template_kwargs", JSONValue.object(["enable_thinking": true])),
    ] as [(CompatFlags.ThinkingFormat, String, JSONValue)])
    func thinkingFormatSelectsTheWireField(_ expectation: (CompatFlags.ThinkingFormat, String, JSONValue)) {
        let (format, field, value) = expectation
        var model = TestModels.local("http://127.0.0.1:8080/v1", reasoning: true)
        model.compat.thinkingFormat = format
        let body = OpenAICompletions.body(for: ChatRequest(messages: [.user("hi")], thinking: .medium), model: model)
        #expect(body[field] == value)
    }

    @Test func replaysThinkingInTheFieldItArrivedIn() {
        let model = TestModels.local("http://127.0.0.1:8080/v1", reasoning: true)
        let history: [ChatMessage] = [.user("a"), .assistant([.thinking("hmm", signature: "reasoning"), .text("b")]), .user("c")]
        let messages = OpenAICompletions.body(for: ChatRequest(messages: history), model: model)["messages"]?.arrayValue ?? []
        #expect(messages[1]["reasoning"] == "hmm")
        #expect(messages[1]["content"] == "b")
    }

    @Test func replaysHistoryWithValidJSONAndCompatShapes() {
        var model = TestModels.local("http://127.0.0.1:8080/v1", reasoning: true)
        model.compat = CompatFlags(
            requiresToolResultName: true, requiresAssistantAfterToolResult: true,
            requiresReasoningContentOnAssistantMessages: true)
        let history: [ChatMessage] = [
            .user("list"),
            .assistant([.toolCall(ToolCall(id: "c1", name: "ls", arguments: ["dir": "."]))]),
            .toolResult(toolCallID: "c1", toolName: "ls", content: [.text("a.txt")], isError: false),
            .user("thanks"),
        ]
        let messages = OpenAICompletions.body(for: ChatRequest(messages: history), model: model)["messages"]?.arrayValue ?? []
        #expect(messages.count == 5)
        #expect(messages[1]["content"] == "")
        #expect(messages[1]["reasoning_content"] == "")
        #expect(messages[1]["tool_calls"]?[0]?["function"]?["arguments"] == "{\"dir\":\".\"}")
        #expect(messages[2]["name"] == "ls")
        #expect(messages[2]["tool_call_id"] == "c1")
        #expect(messages[3]["role"] == "assistant")
        #expect(messages[4]["role"] == "user")
    }
}
