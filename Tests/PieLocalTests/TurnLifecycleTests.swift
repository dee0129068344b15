import Synchronization
import Testing
@testable import PieLocal

/// Whole turns through `ModelClient` over real sockets: slow streams, disconnects, cancellation.
@Suite struct TurnLifecycleTests {
    let clock = ManualClock()

    private var client: ModelClient {
        ModelClient(transport: CurlTransport(), retryPolicy: RetryPolicy(jitter: false), clock: clock, random: { 0 })
    }

    private static func chunk(_ text: String) -> ScriptStep {
        .send(Array(HTTPResponses.chunk("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\(text)\"}}]}\n\n").utf8))
    }

    @Test func slowStreamDeliversEachEventAsItArrives() async throws {
        let server = try ScriptedServer([Script(steps: [
            .send(Array(HTTPResponses.chunkedSSEHead.utf8)), Self.chunk("a"), .delay(milliseconds: 120), Self.chunk("b"),
            .delay(milliseconds: 120), .send(Array((HTTPResponses.chunk("data: [DONE]\n\n") + HTTPResponses.lastChunk).utf8)),
        ])])
        let wall = ContinuousClock()
        let start = wall.now
        let firstText = Mutex<Duration?>(nil)
        let collector = EventCollector()
        await client.run(
            ChatRequest(messages: [.user("hi")]), chain: FallbackChain(primary: TestModels.local(server.baseURL)),
            apiKey: { _ in nil }
        ) { event in
            if case .textDelta = event { firstText.withLock { $0 = $0 ?? (wall.now - start) } }
            collector.onEvent(event)
        }
        #expect(collector.text == "ab")
        #expect(collector.stopReason == .stop)
        let first = try #require(firstText.withLock { $0 })
        #expect(first < .milliseconds(100), "first event waited \(first)")
    }

    @Test func disconnectMidStreamIsRetriedAndTheRetryIsAnnounced() async throws {
        let server = try ScriptedServer([
            Script(steps: [.send(Array(HTTPResponses.chunkedSSEHead.utf8)), Self.chunk("par"), .disconnect]),
            Script(steps: [.send(Array(HTTPResponses.sse(OpenAICompletionsFixtures.text).utf8))]),
        ])
        let collector = EventCollector()
        let report = await client.run(
            ChatRequest(messages: [.user("hi")]), chain: FallbackChain(primary: TestModels.local(server.baseURL)),
            apiKey: { _ in nil }, onEvent: collector.onEvent)
        #expect(report.answeredBy != nil)
        let kinds = collector.events.map { event -> String in
            switch event {
            case .textDelta(let text): return text
            case .retrying: return "retry"
            case .stop: return "stop"
            default: return ""
            }
        }.filter { !$0.isEmpty }
        #expect(kinds == ["par", "retry", "Hello", ", world", "stop"])
        guard case .connectionLost? = report.failures.first?.error else {
            Issue.record("got \(String(describing: report.failures.first))")
            return
        }
    }

    @Test func cancellingTheTurnEndsItPromptlyWithoutRetry() async throws {
        let server = try ScriptedServer([Script(steps: [
            .send(Array(HTTPResponses.chunkedSSEHead.utf8)), Self.chunk("x"), .delay(milliseconds: 5_000),
        ])])
        let started = AsyncStream<Void>.makeStream()
        let collector = EventCollector()
        let client = self.client
        let turn = Task {
            await client.run(
                ChatRequest(messages: [.user("hi")]), chain: FallbackChain(primary: TestModels.local(server.baseURL)),
                apiKey: { _ in nil }
            ) { event in
                if case .textDelta = event { started.continuation.yield() }
                collector.onEvent(event)
            }
        }
        var iterator = started.stream.makeAsyncIterator()
        await iterator.next()
        let wall = ContinuousClock()
        let start = wall.now
        turn.cancel()
        let report = await turn.value
        #expect(wall.now - start < .milliseconds(100))
        #expect(report.error == .cancelled)
        #expect(collector.events.last == .error(.cancelled))
        #expect(clock.sleeps.isEmpty)
        #expect(server.requests.count == 1)
    }

    @Test func unsupportedThinkingLevelIsAnnouncedOnce() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(OpenAICompletionsFixtures.text)])
        var model = TestModels.local(server.baseURL, reasoning: true)
        model.thinkingLevelMap = [.xhigh: String?.none]
        let collector = EventCollector()
        await client.run(
            ChatRequest(messages: [.user("hi")], thinking: .xhigh), chain: FallbackChain(primary: model),
            apiKey: { _ in nil }, onEvent: collector.onEvent)
        let notices = collector.events.compactMap { if case .notice(let text) = $0 { text } else { nil } }
        #expect(notices == ["qwen3-coder does not support thinking level xhigh; using high"])
        #expect(server.requests.first?.json?["reasoning_effort"] == "high")
    }
}
