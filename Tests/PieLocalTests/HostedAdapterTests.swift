import Testing
@testable import PieLocal
import PieTestSupport
import PieJSON

@Suite struct HostedAdapterTests {
    let transport: CurlTransport

    init() throws {
        transport = try CurlTransport()
    }

    private func stream(
        _ provider: any Provider, _ server: ScriptedServer, api: WireAPI, request: ChatRequest = ChatRequest(messages: [.user("hi")]),
        apiKey: String? = "test-key"
    ) async throws -> EventCollector {
        let collector = EventCollector()
        var model = ModelDescriptor(id: "m1", api: api, provider: "p", baseURL: server.baseURL, reasoning: true)
        model.compat = CompatFlags(supportsStore: true)
        try await provider.stream(request, model: model, apiKey: apiKey, onEvent: collector.onEvent)
        return collector
    }

    @Test func openAIResponsesNormalisesReasoningTextToolCallsAndUsage() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(HostedAPIFixtures.responsesToolCall)])
        let request = ChatRequest(
            systemPrompt: "sys", messages: [.user("read a.txt")],
            tools: [ToolSpec(name: "read", description: "Read", parameters: ["type": "object"])], thinking: .high)
        let events = try await stream(OpenAIResponses(transport: transport), server, api: .openAIResponses, request: request)
        #expect(events.thinking == "Need the file.")
        #expect(events.text == "Reading.")
        #expect(events.toolCalls == [ToolCall(id: "call_x", name: "read", arguments: ["path": "a.txt"], rawArguments: #"{"path":"a.txt"}"#)])
        #expect(events.usage == Usage(input: 30, output: 20, cacheRead: 60, cacheWrite: 10, reasoning: 5))
        #expect(events.stopReason == .toolUse)
        let sent = try #require(server.requests.first)
        #expect(sent.path == "/v1/responses")
        #expect(sent.headers["authorization"] == "Bearer test-key")
        let body = try #require(sent.json)
        #expect(body["reasoning"] == ["effort": "high", "summary": "auto"])
        #expect(body["store"] == false)
        #expect(body["tools"]?[0]?["name"] == "read")
        #expect(body["input"]?[1]?["content"]?[0]?["type"] == "input_text")
    }

    @Test func openAIResponsesFailureIsAnOverload() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(HostedAPIFixtures.responsesFailed)])
        await #expect(throws: ProviderError.overloaded(message: "The server is overloaded")) {
            _ = try await stream(OpenAIResponses(transport: transport), server, api: .openAIResponses)
        }
    }

    @Test func ds4ReplaysReasoningBeforeAssistantMessagesAndValidArguments() {
        let ds4 = DS4.descriptor(baseURL: "http://127.0.0.1:9000/v1", source: .builtin)
        let history: [ChatMessage] = [
            .user("go"),
            .assistant([.thinking("plan", signature: nil), .text("ok"), .toolCall(ToolCall(id: "c1", name: "ls", arguments: [:]))]),
            .toolResult(toolCallID: "c1", toolName: "ls", content: [.text("x")], isError: false),
        ]
        let body = OpenAIResponses.body(for: ChatRequest(systemPrompt: "s", messages: history, thinking: .off), model: ds4)
        let input = body["input"]?.arrayValue ?? []
        #expect(input.map { $0["type"]?.stringValue ?? $0["role"]?.stringValue ?? "" } == ["system", "user", "reasoning", "message", "function_call", "function_call_output"])
        #expect(input[2]["summary"]?[0]?["text"] == "plan")
        #expect(input[4]["arguments"] == "{}")
        #expect(body["store"] == nil)
        #expect(body["reasoning"]?["effort"] == "low", "off is unsupported on DS4, so minimal → low is used")
    }

    @Test func anthropicNormalisesThinkingSignatureToolUseAndUsage() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(HostedAPIFixtures.anthropicToolUse)])
        let request = ChatRequest(messages: [.user("hi")], thinking: .medium, maxTokens: 20_000)
        let events = try await stream(AnthropicMessages(transport: transport), server, api: .anthropicMessages, request: request)
        #expect(events.thinking == "Check the file.")
        #expect(events.events.contains(.thinkingSignature("sig==")))
        #expect(events.text == "Looking.")
        #expect(events.toolCalls == [ToolCall(id: "toolu_1", name: "read", arguments: ["path": "b.txt"], rawArguments: #"{"path": "b.txt"}"#)])
        #expect(events.usage == Usage(input: 25, output: 42, cacheRead: 100, cacheWrite: 7))
        #expect(events.stopReason == .toolUse)
        let sent = try #require(server.requests.first)
        #expect(sent.path == "/v1/messages")
        #expect(sent.headers["x-api-key"] == "test-key")
        #expect(sent.headers["anthropic-version"] == "2023-06-01")
        #expect(sent.json?["thinking"] == ["type": "enabled", "budget_tokens": 8192])
    }

    @Test func anthropicOverloadedErrorEventIsRetryable() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(HostedAPIFixtures.anthropicOverloaded)])
        do {
            _ = try await stream(AnthropicMessages(transport: transport), server, api: .anthropicMessages)
            Issue.record("expected a failure")
        } catch let error as ProviderError {
            #expect(error == .overloaded(message: "Overloaded"))
            #expect(error.isRetryable)
        }
    }

    @Test func anthropicMergesConsecutiveToolResultsIntoOneUserTurn() {
        let model = ModelDescriptor(id: "c", api: .anthropicMessages, provider: "anthropic", baseURL: "https://x/v1")
        let history: [ChatMessage] = [
            .user("go"),
            .assistant([.toolCall(ToolCall(id: "a", name: "ls", arguments: [:])), .toolCall(ToolCall(id: "b", name: "ls", arguments: [:]))]),
            .toolResult(toolCallID: "a", toolName: "ls", content: [.text("1")], isError: false),
            .toolResult(toolCallID: "b", toolName: "ls", content: [.text("2")], isError: true),
        ]
        let messages = AnthropicMessages.messages(history, model: model)
        #expect(messages.count == 3)
        #expect(messages[2]["content"]?.arrayValue?.count == 2)
        #expect(messages[2]["content"]?[1]?["is_error"] == true)
    }

    @Test func geminiNormalisesThoughtsFunctionCallsAndUsage() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(HostedAPIFixtures.geminiStream)])
        let request = ChatRequest(systemPrompt: "sys", messages: [.user("hi")], thinking: .low)
        let events = try await stream(GoogleGenerativeAI(transport: transport), server, api: .googleGenerativeAI, request: request)
        #expect(events.thinking == "Plan the read.")
        #expect(events.text == "Reading c.txt")
        let call = try #require(events.toolCalls.first)
        #expect(call.name == "read")
        #expect(call.arguments == ["path": "c.txt"])
        #expect(!call.id.isEmpty)
        #expect(events.usage == Usage(input: 20, output: 16, cacheRead: 10, reasoning: 4))
        #expect(events.stopReason == .toolUse)
        let sent = try #require(server.requests.first)
        #expect(sent.path == "/v1/models/m1:streamGenerateContent?alt=sse")
        #expect(sent.headers["x-goog-api-key"] == "test-key")
        #expect(sent.json?["systemInstruction"]?["parts"]?[0]?["text"] == "sys")
        #expect(sent.json?["generationConfig"]?["thinkingConfig"]?["thinkingBudget"] == 4096)
    }
}
