import Testing
@testable import PieLocal
import PieTestSupport
import PieJSON

/// A models.json written for pi reaches the same URLs in pie: each wire API joins its base URL
/// the way its SDK does, with or without the version segment. Every exchange is a real
/// tool-calling stream over loopback, checked by the path the scripted server recorded.
@Suite struct BaseURLConventionTests {
    let transport: CurlTransport

    init() throws {
        transport = try CurlTransport()
    }

    static let request = ChatRequest(
        messages: [.user("read the file")],
        tools: [ToolSpec(name: "read", description: "Read a file", parameters: ["type": "object"])])

    /// A streamed reply with a tool call in each API's own wire format.
    static func toolCallReply(for api: WireAPI) -> String {
        switch api {
        case .anthropicMessages: HTTPResponses.sse(HostedAPIFixtures.anthropicToolUse)
        case .googleGenerativeAI: HTTPResponses.sse(HostedAPIFixtures.geminiStream)
        case .openAIResponses: HTTPResponses.sse(HostedAPIFixtures.responsesToolCall)
        case .openAICompletions: HTTPResponses.sse(OpenAICompletionsFixtures.parallelToolCalls)
        }
    }

    /// Streams `request` to `model` through its API's adapter; returns the path the server saw.
    private func exchange(_ model: ModelDescriptor) async throws -> (path: String, toolCalls: [ToolCall]) {
        let server = try ScriptedServer(responses: [Self.toolCallReply(for: model.api)])
        var model = model
        model.baseURL = "http://127.0.0.1:\(server.port)" + Self.path(of: model.baseURL)
        let events = EventCollector()
        try await ProviderFactory.provider(for: model.api, transport: transport)
            .stream(Self.request, model: model, apiKey: "test-key", onEvent: events.onEvent)
        let sent = try #require(server.requests.first)
        #expect(sent.method == "POST")
        return (sent.path, events.toolCalls)
    }

    /// Everything after scheme and host: `https://api.z.ai/api/coding/paas/v4` → `/api/coding/paas/v4`.
    static func path(of url: String) -> String {
        let afterScheme = url.firstRange(of: "://").map { url[$0.upperBound...] } ?? Substring(url)
        return afterScheme.firstIndex(of: "/").map { String(afterScheme[$0...]) } ?? ""
    }

    /// Where each SDK posts for pi's published base URLs (Anthropic: `{base}/v1/messages`;
    /// Google: `{base}/models/…` under pi's versioned base; OpenAI: `{base}/responses` and
    /// `{base}/chat/completions`, base as given).
    static let expectedPaths: [String: String] = [
        "anthropic/anthropic-messages": "/v1/messages",
        "cerebras/openai-completions": "/v1/chat/completions",
        "github-copilot/anthropic-messages": "/v1/messages",
        "github-copilot/openai-completions": "/chat/completions",
        "github-copilot/openai-responses": "/responses",
        "google/google-generative-ai": "/v1beta/models/gemini-1.5-flash:streamGenerateContent?alt=sse",
        "groq/openai-completions": "/openai/v1/chat/completions",
        "huggingface/openai-completions": "/v1/chat/completions",
        "kimi-coding/anthropic-messages": "/coding/v1/messages",
        "minimax/anthropic-messages": "/anthropic/v1/messages",
        "minimax-cn/anthropic-messages": "/anthropic/v1/messages",
        "openai/openai-responses": "/v1/responses",
        "opencode/anthropic-messages": "/zen/v1/messages",
        "opencode/google-generative-ai": "/zen/v1/models/gemini-3-flash:streamGenerateContent?alt=sse",
        "opencode/openai-completions": "/zen/v1/chat/completions",
        "opencode/openai-responses": "/zen/v1/responses",
        "opencode-go/anthropic-messages": "/zen/go/v1/messages",
        "opencode-go/openai-completions": "/zen/go/v1/chat/completions",
        "openrouter/openai-completions": "/api/v1/chat/completions",
        "vercel-ai-gateway/anthropic-messages": "/v1/messages",
        "xai/openai-completions": "/v1/chat/completions",
        "zai/openai-completions": "/api/coding/paas/v4/chat/completions",
    ]

    @Test func pisPublishedDescriptorsLoadUnchangedAndReachTheirSDKPaths() async throws {
        let contents = try ModelsFile.parse(Array(PiPublishedDescriptors.modelsJSON.utf8), path: "pi-models.json")
        let keys = contents.models.map { "\($0.provider)/\($0.api.rawValue)" }
        #expect(Set(keys) == Set(Self.expectedPaths.keys), "every published descriptor has an expected path, and no more")
        #expect(Set(contents.models.map(\.api)) == Set(WireAPI.allCases), "every API pie speaks is covered")
        let haiku = try #require(contents.models.first { $0.provider == "anthropic" })
        #expect(haiku.baseURL == "https://api.anthropic.com", "kept as published, not rewritten")
        #expect(haiku.name == "Claude Haiku 3.5" && haiku.contextWindow == 200_000 && haiku.maxTokens == 8192)
        #expect(haiku.input == ["text", "image"] && !haiku.reasoning)
        #expect(haiku.cost.input == 0.8 && haiku.cost.output == 4 && haiku.cost.cacheRead == 0.08 && haiku.cost.cacheWrite == 1)
        for model in contents.models {
            let key = "\(model.provider)/\(model.api.rawValue)"
            let result = try await exchange(model)
            #expect(result.path == Self.expectedPaths[key], "\(key) at \(model.baseURL)")
            #expect(!result.toolCalls.isEmpty, "\(key): the tool call came back")
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var api: WireAPI
        var basePath: String
        var expected: String
        var testDescription: String { "\(api.rawValue) \(basePath.isEmpty ? "(root)" : basePath) → \(expected)" }
    }

    static let cases: [Case] = [
        Case(api: .anthropicMessages, basePath: "", expected: "/v1/messages"),
        Case(api: .anthropicMessages, basePath: "/", expected: "/v1/messages"),
        Case(api: .anthropicMessages, basePath: "/v1", expected: "/v1/messages"),
        Case(api: .anthropicMessages, basePath: "/v1/", expected: "/v1/messages"),
        Case(api: .anthropicMessages, basePath: "/v1//", expected: "/v1/messages"),
        Case(api: .anthropicMessages, basePath: "/anthropic", expected: "/anthropic/v1/messages"),
        Case(api: .anthropicMessages, basePath: "/anthropic/v1", expected: "/anthropic/v1/messages"),
        Case(api: .googleGenerativeAI, basePath: "", expected: "/v1beta/models/m1:streamGenerateContent?alt=sse"),
        Case(api: .googleGenerativeAI, basePath: "/v1beta", expected: "/v1beta/models/m1:streamGenerateContent?alt=sse"),
        Case(api: .googleGenerativeAI, basePath: "/v1", expected: "/v1/models/m1:streamGenerateContent?alt=sse"),
        Case(api: .googleGenerativeAI, basePath: "/gemini/", expected: "/gemini/v1beta/models/m1:streamGenerateContent?alt=sse"),
        Case(api: .openAIResponses, basePath: "/v1", expected: "/v1/responses"),
        Case(api: .openAIResponses, basePath: "", expected: "/responses"),
        Case(api: .openAIResponses, basePath: "/openai/v1/", expected: "/openai/v1/responses"),
        Case(api: .openAICompletions, basePath: "/v1", expected: "/v1/chat/completions"),
        Case(api: .openAICompletions, basePath: "", expected: "/chat/completions"),
        Case(api: .openAICompletions, basePath: "/api/coding/paas/v4", expected: "/api/coding/paas/v4/chat/completions"),
    ]

    @Test(arguments: cases)
    func baseURLWithAndWithoutTheVersionSegment(_ testCase: Case) async throws {
        let model = ModelDescriptor(id: "m1", api: testCase.api, provider: "p", baseURL: "http://127.0.0.1" + testCase.basePath)
        let result = try await exchange(model)
        #expect(result.path == testCase.expected)
        #expect(!result.toolCalls.isEmpty)
    }

    @Test func onlyAPathSegmentCountsAsTheVersion() {
        #expect(Endpoint.split("http://v1:8080").version == nil, "a host named v1 is not a version")
        #expect(Endpoint.split("http://v1").version == nil)
        let beta = Endpoint.split("https://h/api/v1beta/")
        #expect(beta.root == "https://h/api" && beta.version == "v1beta")
        let alpha = Endpoint.split("https://h/v2alpha1")
        #expect(alpha.root == "https://h" && alpha.version == "v2alpha1")
        #expect(Endpoint.split("https://h/v1.5").version == nil)
        #expect(Endpoint.split("https://h/version").version == nil)
        #expect(Endpoint.split("https://h/v").version == nil)
        #expect(Endpoint.anthropicMessages(baseURL: "http://v1:4000") == "http://v1:4000/v1/messages")
    }
}
