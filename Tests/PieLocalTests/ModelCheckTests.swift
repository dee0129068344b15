import Testing
@testable import PieLocal
import PieTestSupport
import PieJSON

@Suite struct ModelCheckTests {
    let check: ModelCheck

    init() throws {
        check = try ModelCheck()
    }

    @Test func healthyServerWithToolCallsPasses() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(OpenAICompletionsFixtures.parallelToolCalls)])
        let report = await check.run(model: TestModels.local(server.baseURL), apiKey: nil)
        #expect(report.passed)
        #expect(report.streamed)
        #expect(report.sawToolCall)
        #expect(report.firstByteMilliseconds != nil)
        #expect(report.hints.isEmpty, "\(report.hints)")
        let body = try #require(server.requests.first?.json)
        #expect(body["tools"]?[0]?["function"]?["name"] == "ping")
    }

    @Test func wrongPortSuggestsTheUsualPorts() async throws {
        let server = try ScriptedServer([])
        let url = server.baseURL
        server.stop()
        let report = await check.run(model: TestModels.local(url), apiKey: nil)
        #expect(!report.reachable)
        #expect(report.hints.first?.contains("llama-server 8080") == true)
    }

    @Test func missingV1IsPointedOut() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.json("404 page not found", status: "404 Not Found")])
        let root = "http://127.0.0.1:\(server.port)"
        let report = await check.run(model: TestModels.local(root), apiKey: nil)
        #expect(report.reachable)
        #expect(report.status == 404)
        #expect(report.hints.first?.contains("Try --base-url \(root)/v1") == true)
    }

    @Test func anthropicRootGets404NamingTheTriedURLAndTheOneWithoutTheVersion() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.json("404 page not found", status: "404 Not Found")])
        let root = "http://127.0.0.1:\(server.port)"
        let report = await check.run(model: TestModels.local(root, api: .anthropicMessages), apiKey: nil)
        #expect(server.requests.first?.path == "/v1/messages")
        #expect(report.requestURL == "\(root)/v1/messages")
        #expect(report.alternativeURL == "\(root)/messages")
        #expect(report.alternativeBaseURL == nil, "anthropic-messages always sends /v1, so no base URL reaches /messages")
        let hint = try #require(report.hints.first)
        #expect(hint.contains("\(root)/v1/messages answered 404"))
        #expect(hint.contains("\(root)/messages"))
    }

    @Test func openAIResponsesWithVersion404SuggestsTheRoot() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.json("not here", status: "404 Not Found")])
        let root = "http://127.0.0.1:\(server.port)"
        let report = await check.run(model: TestModels.local("\(root)/v1/", api: .openAIResponses), apiKey: nil)
        #expect(report.requestURL == "\(root)/v1/responses")
        #expect(report.alternativeURL == "\(root)/responses")
        #expect(report.alternativeBaseURL == root)
        #expect(report.hints.first?.contains("pie would try \(root)/responses instead with --base-url \(root).") == true)
    }

    @Test func openAIRoot404NamesTheVersionedURL() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.json("404 page not found", status: "404 Not Found")])
        let root = "http://127.0.0.1:\(server.port)"
        let report = await check.run(model: TestModels.local(root), apiKey: nil)
        #expect(report.requestURL == "\(root)/chat/completions")
        #expect(report.alternativeURL == "\(root)/v1/chat/completions")
        #expect(report.alternativeBaseURL == "\(root)/v1")
        #expect(report.hints.first?.contains("pie would then post to \(root)/v1/chat/completions") == true)
    }

    @Test func googleRoot404NamesBothURLs() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.json("404", status: "404 Not Found")])
        let root = "http://127.0.0.1:\(server.port)"
        let report = await check.run(model: TestModels.local(root, api: .googleGenerativeAI), apiKey: nil)
        let tried = "\(root)/v1beta/models/qwen3-coder:streamGenerateContent?alt=sse"
        #expect(report.requestURL == tried)
        #expect(report.alternativeURL == "\(root)/models/qwen3-coder:streamGenerateContent?alt=sse")
        #expect(report.hints.first?.contains("\(tried) answered 404") == true)
    }

    @Test func aPassingCheckNamesItsURLAndNoAlternative() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(HostedAPIFixtures.anthropicToolUse)])
        let root = "http://127.0.0.1:\(server.port)"
        let report = await check.run(model: TestModels.local(root, api: .anthropicMessages), apiKey: nil)
        #expect(report.passed)
        #expect(report.requestURL == "\(root)/v1/messages")
        #expect(report.alternativeURL == nil)
    }

    @Test func modelNotLoadedIsPointedOut() async throws {
        let body = #"{"error":{"message":"model \"qwen3:99b\" not found, try pulling it first","type":"api_error"}}"#
        let server = try ScriptedServer(responses: [HTTPResponses.json(body, status: "404 Not Found")])
        var model = TestModels.local(server.baseURL)
        model.id = "qwen3:99b"
        let report = await check.run(model: model, apiKey: nil)
        #expect(report.hints.first?.contains("does not have model 'qwen3:99b' loaded") == true)
    }

    @Test func serverWithoutToolSupportIsPointedOut() async throws {
        let rejected = HTTPResponses.json(#"{"error":{"code":500,"message":"tools param requires --jinja flag"}}"#, status: "500 Internal Server Error")
        let server = try ScriptedServer(responses: [rejected])
        let report = await check.run(model: TestModels.local(server.baseURL), apiKey: nil)
        #expect(report.hints.contains { $0.contains("llama-server needs --jinja") })

        let textOnly = try ScriptedServer(responses: [HTTPResponses.sse(OpenAICompletionsFixtures.text)])
        let answered = await check.run(model: TestModels.local(textOnly.baseURL), apiKey: nil)
        #expect(answered.passed)
        #expect(answered.sawText)
        #expect(answered.hints.contains { $0.contains("without calling the tool") })
    }
}
