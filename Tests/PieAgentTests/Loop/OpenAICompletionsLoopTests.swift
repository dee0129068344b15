import PieAgent
import PieLocal
import PieTestSupport
import Testing
import PieJSON

/// The loop over a real socket: PieLocal's `OpenAICompletions` adapter and libcurl talk to a
/// loopback server that answers like an OpenAI-compatible local server.
@Suite("Agent loop over OpenAICompletions and loopback HTTP")
struct OpenAICompletionsLoopTests {
    static func model(_ server: ScriptedServer, contextWindow: Int = 32_768) -> ModelDescriptor {
        ModelDescriptor(id: "local-model", api: .openAICompletions, provider: "local", baseURL: server.baseURL, contextWindow: contextWindow)
    }

    static func toolCallChunks() -> [String] {
        [
            #"{"choices":[{"index":0,"delta":{"role":"assistant","content":"Reading."}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"read","arguments":"{\"output\":"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"print(1)\"}"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            #"{"choices":[],"usage":{"prompt_tokens":40,"completion_tokens":12}}"#,
        ]
    }

    static func textChunks(_ text: String) -> [String] {
        [
            #"{"choices":[{"index":0,"delta":{"content":"\#(text)"}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
        ]
    }

    @Test func toolRoundTripOverHTTP() async throws {
        let server = try ScriptedServer(responses: [sse(Self.toolCallChunks()), sse(Self.textChunks("All good."))])
        let configuration = AgentConfiguration(
            provider: OpenAICompletions(transport: try CurlTransport()), model: Self.model(server),
            tools: ScriptedTools().runner)

        let result = await AgentLoop(configuration: configuration).run(prompts: [.user("read it")])

        #expect(result.outcome == .completed)
        #expect(result.newMessages.last?.assistant?.text == "All good.")
        let results = LoopFixtures.toolResults(result.newMessages)
        #expect(results.map(LoopFixtures.text) == ["print(1)"])
        #expect(result.usage.input + result.usage.cacheRead == 40)
        #expect(server.requests.count == 2)
        let second = try JSONParser.parse(server.requests[1].bodyText)
        let messages = try #require(second["messages"]?.arrayValue)
        #expect(messages.last?["role"]?.stringValue == "tool")
        #expect(messages.last?["tool_call_id"]?.stringValue == "call_1")
    }

    @Test func serverContextOverflowCompactsAndRetriesOnce() async throws {
        let overflow = #"{"error":{"message":"This model's maximum context length is 8192 tokens","type":"invalid_request_error"}}"#
        let server = try ScriptedServer(responses: [
            HTTPResponses.json(overflow, status: "400 Bad Request"),
            sse(Self.textChunks("## Goal\\nKeep going")),
            sse(Self.textChunks("Back on track.")),
        ])
        let provider = OpenAICompletions(transport: try CurlTransport())
        let model = Self.model(server, contextWindow: 8_192)
        let auto = AutoCompaction(compactor: Compactor(provider: provider, model: model), onEvent: { _ in })
        let configuration = AgentConfiguration(
            provider: provider, model: model, tools: ScriptedTools().runner,
            hooks: AgentHooks(transformContext: auto.hook))

        let result = await AgentLoop(configuration: configuration)
            .run(prompts: [.user("continue")], context: CompactorTests.history(turns: 6, tokensPerTurn: 500))

        #expect(result.outcome == .completed)
        #expect(result.newMessages.last?.assistant?.text == "Back on track.")
        #expect(server.requests.count == 3)
        #expect(server.requests[1].bodyText.contains("<conversation>"))
        #expect(server.requests[2].bodyText.contains(LLMConversion.summaryPreamble))
    }
}

/// A streamed response whose `data:` lines are `chunks`, ending with `[DONE]`.
private func sse(_ chunks: [String]) -> String {
    HTTPResponses.sse((chunks + ["[DONE]"]).map { "data: \($0)\n\n" }.joined())
}
