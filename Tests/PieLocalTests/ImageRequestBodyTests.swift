import PieJSON
import PieTestSupport
import Testing

@testable import PieLocal

/// A user message with an image, sent by each adapter to the scripted server: the exact block
/// shape each API documents (Anthropic `image` with a base64 source, OpenAI chat `image_url` with a
/// data URL, OpenAI responses `input_image`, Google `inlineData`), after the prompt's text.
@Suite("image blocks on the wire")
struct ImageRequestBodyTests {
    static let base64 = "iVBORw0KGgo="
    let transport: CurlTransport

    init() throws {
        transport = try CurlTransport()
    }

    private func sent(_ provider: any Provider, api: WireAPI, reply: String) async throws -> JSONValue {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(reply)])
        defer { server.stop() }
        let model = ModelDescriptor(id: "m1", api: api, provider: "p", baseURL: server.baseURL, input: ["text", "image"])
        let request = ChatRequest(messages: [.user([.text("what is this?"), .image(base64: Self.base64, mimeType: "image/png")])])
        try await provider.stream(request, model: model, apiKey: "test-key", onEvent: EventCollector().onEvent)
        #expect(server.requests.count == 1)
        return try #require(server.requests.first?.json)
    }

    @Test func anthropicSendsAnImageBlockWithABase64Source() async throws {
        let body = try await sent(AnthropicMessages(transport: transport), api: .anthropicMessages, reply: HostedAPIFixtures.anthropicToolUse)
        #expect(body["messages"] == [[
            "role": "user",
            "content": [
                ["type": "text", "text": "what is this?"],
                ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": .string(Self.base64)]],
            ],
        ]])
    }

    @Test func openAIChatSendsAnImageURLPartWithADataURL() async throws {
        let body = try await sent(OpenAICompletions(transport: transport), api: .openAICompletions, reply: OpenAICompletionsFixtures.text)
        #expect(body["messages"] == [[
            "role": "user",
            "content": [
                ["type": "text", "text": "what is this?"],
                ["type": "image_url", "image_url": ["url": .string("data:image/png;base64,\(Self.base64)")]],
            ],
        ]])
    }

    @Test func openAIResponsesSendsAnInputImageWithADataURL() async throws {
        let body = try await sent(OpenAIResponses(transport: transport), api: .openAIResponses, reply: HostedAPIFixtures.responsesToolCall)
        #expect(body["input"] == [[
            "role": "user",
            "content": [
                ["type": "input_text", "text": "what is this?"],
                ["type": "input_image", "image_url": .string("data:image/png;base64,\(Self.base64)")],
            ],
        ]])
    }

    @Test func googleSendsInlineData() async throws {
        let body = try await sent(GoogleGenerativeAI(transport: transport), api: .googleGenerativeAI, reply: HostedAPIFixtures.geminiStream)
        #expect(body["contents"] == [[
            "role": "user",
            "parts": [
                ["text": "what is this?"],
                ["inlineData": ["mimeType": "image/png", "data": .string(Self.base64)]],
            ],
        ]])
    }

    @Test("a text-only descriptor's adapter never puts an image on the wire (the agent refuses before asking)")
    func textOnlyModelsCarryNoImage() {
        let model = ModelDescriptor(id: "m1", api: .anthropicMessages, provider: "p", baseURL: "http://127.0.0.1:1/v1")
        let messages = AnthropicMessages.messages([.user([.text("x"), .image(base64: Self.base64, mimeType: "image/png")])], model: model)
        #expect(messages == [["role": "user", "content": [["type": "text", "text": "x"]]]])
    }
}
