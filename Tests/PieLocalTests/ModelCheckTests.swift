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
