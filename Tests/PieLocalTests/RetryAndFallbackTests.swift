import Testing
@testable import PieLocal
import PieTestSupport

@Suite struct RetryAndFallbackTests {
    let clock = ManualClock()
    let transport: CurlTransport

    init() throws {
        transport = try CurlTransport()
    }

    private func client(_ policy: RetryPolicy = RetryPolicy(jitter: false)) -> ModelClient {
        ModelClient(transport: transport, retryPolicy: policy, clock: clock, random: { 0.5 })
    }

    private static let ok = HTTPResponses.sse(OpenAICompletionsFixtures.text)
    private static let unavailable = HTTPResponses.json(#"{"error":{"message":"loading model"}}"#, status: "503 Service Unavailable")

    private func run(_ client: ModelClient, _ models: [ModelDescriptor]) async -> (EventCollector, TurnReport) {
        let collector = EventCollector()
        let chain = FallbackChain(primary: models[0], fallbacks: Array(models.dropFirst()))
        let report = await client.run(ChatRequest(messages: [.user("hi")]), chain: chain, apiKey: { _ in nil }, onEvent: collector.onEvent)
        return (collector, report)
    }

    @Test func retries503ThenSucceedsAfterBaseDelay() async throws {
        let server = try ScriptedServer(responses: [Self.unavailable, Self.ok])
        let (events, report) = await run(client(), [TestModels.local(server.baseURL)])
        #expect(events.text == "Hello, world")
        #expect(clock.sleeps == [.milliseconds(500)])
        #expect(report.answeredBy == "llamacpp:qwen3-coder")
        #expect(report.failures.count == 1)
        #expect(events.events.contains { if case .retrying(1, 500, .http(503, nil, _)) = $0 { true } else { false } })
        #expect(server.requests.count == 2)
    }

    @Test func honoursRetryAfterSeconds() async throws {
        let limited = HTTPResponses.json(#"{"error":{"message":"slow down"}}"#, status: "429 Too Many Requests", headers: ["Retry-After: 3"])
        let server = try ScriptedServer(responses: [limited, Self.ok])
        let (events, _) = await run(client(), [TestModels.local(server.baseURL)])
        #expect(clock.sleeps == [.seconds(3)])
        #expect(events.stopReason == .stop)
    }

    @Test func retryAfterBeyondTheBudgetFailsFastAndSaysSo() async throws {
        let limited = HTTPResponses.json("{}", status: "429 Too Many Requests", headers: ["Retry-After: 30"])
        let server = try ScriptedServer(responses: [limited, Self.ok])
        let (events, report) = await run(client(RetryPolicy(jitter: false, budgetMilliseconds: 10_000)), [TestModels.local(server.baseURL)])
        #expect(clock.sleeps.isEmpty)
        guard case .retryDelayBeyondBudget(30_000, 10_000, _)? = report.error else {
            Issue.record("got \(String(describing: report.error))")
            return
        }
        #expect(report.error?.message.contains("beyond the retry budget") == true)
        #expect(events.events.last == report.error.map(StreamEvent.error))
    }

    @Test func backsOffExponentiallyThenFallsBackOnce() async throws {
        let primary = try ScriptedServer(responses: [Self.unavailable])
        let secondary = try ScriptedServer(responses: [Self.ok])
        var backup = TestModels.local(secondary.baseURL)
        backup.provider = "vllm"
        let (events, report) = await run(client(), [TestModels.local(primary.baseURL), backup])
        #expect(clock.sleeps == [.milliseconds(500), .milliseconds(1000)])
        #expect(primary.requests.count == 3)
        #expect(secondary.requests.count == 1)
        #expect(report.fallbacks.map(\.to) == ["vllm:qwen3-coder"])
        #expect(report.answeredBy == "vllm:qwen3-coder")
        #expect(events.events.contains { if case .fallback("llamacpp:qwen3-coder", "vllm:qwen3-coder", _) = $0 { true } else { false } })
        #expect(events.text == "Hello, world")
    }

    @Test func clientErrorsAreNotRetriedNorFallenBackFrom() async throws {
        let unauthorized = HTTPResponses.json(#"{"error":{"message":"bad key"}}"#, status: "401 Unauthorized")
        let primary = try ScriptedServer(responses: [unauthorized])
        let secondary = try ScriptedServer(responses: [Self.ok])
        var backup = TestModels.local(secondary.baseURL)
        backup.provider = "vllm"
        let (_, report) = await run(client(), [TestModels.local(primary.baseURL), backup])
        #expect(primary.requests.count == 1)
        #expect(secondary.requests.isEmpty)
        #expect(report.error?.message.contains("Check the API key") == true)
    }

    @Test func contextOverflowIsReportedWithoutRetry() async throws {
        let server = try ScriptedServer(responses: [
            HTTPResponses.json(OpenAICompletionsFixtures.contextOverflowBody, status: "400 Bad Request")
        ])
        let (_, report) = await run(client(), [TestModels.local(server.baseURL)])
        guard case .contextOverflow? = report.error else { Issue.record("got \(String(describing: report.error))"); return }
        #expect(server.requests.count == 1)
    }

    @Test func budgetStopsFurtherBackoff() async throws {
        let server = try ScriptedServer(responses: [Self.unavailable])
        let (_, report) = await run(client(RetryPolicy(jitter: false, budgetMilliseconds: 1_200)), [TestModels.local(server.baseURL)])
        #expect(clock.sleeps == [.milliseconds(500)])
        guard case .retryDelayBeyondBudget(1_000, _, _)? = report.error else { Issue.record("got \(String(describing: report.error))"); return }
    }

    @Test func missingKeyForHostedModelExplainsWhereToPutIt() async {
        let hosted = ModelDescriptor(id: "gpt-4o-mini", api: .openAIResponses, provider: "openai", baseURL: "https://api.openai.com/v1")
        let (_, report) = await run(client(), [hosted])
        #expect(report.error?.message.contains("OPENAI_API_KEY") == true)
        #expect(report.error?.message.contains("pie login openai") == true)
    }

    @Test func jitterStaysWithinHalfToFullDelay() {
        let policy = RetryPolicy()
        let error = ProviderError.timeout(milliseconds: nil)
        #expect(policy.decide(after: error, retriesSoFar: 1, elapsedMilliseconds: 0, unitRandom: 0) == .retry(afterMilliseconds: 500))
        #expect(policy.decide(after: error, retriesSoFar: 1, elapsedMilliseconds: 0, unitRandom: 0.999_9) == .retry(afterMilliseconds: 999))
        #expect(policy.decide(after: error, retriesSoFar: 2, elapsedMilliseconds: 0, unitRandom: 0) == .giveUp(error))
    }

    @Test(arguments: [408, 409, 425, 429, 500, 502, 503, 504])
    func retryableStatuses(_ status: Int) {
        #expect(ProviderError.http(status: status, retryAfterMilliseconds: nil, briefBody: "").isRetryable)
    }

    @Test(arguments: [400, 401, 403, 404, 422])
    func nonRetryableStatuses(_ status: Int) {
        #expect(!ProviderError.http(status: status, retryAfterMilliseconds: nil, briefBody: "").isRetryable)
    }

    @Test func retryAfterParsesSecondsAndHTTPDates() {
        #expect(RetryAfter.milliseconds(from: "120") == 120_000)
        #expect(RetryAfter.milliseconds(from: "Wed, 21 Oct 2015 07:28:00 GMT", now: 1_445_412_470) == 10_000)
        #expect(RetryAfter.milliseconds(from: "Wed, 21 Oct 2015 07:28:00 GMT", now: 1_445_412_490) == 0)
        #expect(RetryAfter.milliseconds(from: "soon") == nil)
    }

    @Test func fallbackListIsParsedAcrossProvidersWithoutDuplicates() throws {
        let registry = ModelRegistry()
        let keys = APIKeys(environment: PieEnvironment([:]))
        let primary = try registry.resolve(provider: "ollama", model: nil, baseURL: nil, keys: keys)
        let chain = try FallbackChain.parse(
            "anthropic:claude-haiku-4-5, ollama:qwen3-coder, groq:llama-3.3-70b-versatile,anthropic:claude-haiku-4-5",
            primary: primary, registry: registry, keys: keys)
        #expect(chain.models.map(\.qualifiedID) == ["ollama:qwen3-coder", "anthropic:claude-haiku-4-5", "groq:llama-3.3-70b-versatile"])
    }
}
