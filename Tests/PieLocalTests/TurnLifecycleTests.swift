import Synchronization
import Testing
@testable import PieLocal
import PieTestSupport
import PieJSON

/// Whole turns through `ModelClient` over real sockets: slow streams, disconnects, cancellation.
@Suite struct TurnLifecycleTests {
    let clock = ManualClock()
    let transport: CurlTransport

    init() throws {
        transport = try CurlTransport()
    }

    private var client: ModelClient {
        ModelClient(transport: transport, retryPolicy: RetryPolicy(jitter: false), clock: clock, random: { 0 })
    }

    private static func chunk(_ text: String) -> ScriptStep {
        .send(Array(HTTPResponses.chunk("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\(text)\"}}]}\n\n").utf8))
    }

    @Test func slowStreamDeliversEachEventAsItArrives() async throws {
        let gate = ScriptGate()
        let server = try ScriptedServer([Script(steps: [
            .send(Array(HTTPResponses.chunkedSSEHead.utf8)), Self.chunk("a"), .wait(gate), Self.chunk("b"),
            .send(Array((HTTPResponses.chunk("data: [DONE]\n\n") + HTTPResponses.lastChunk).utf8)),
        ])])
        let collector = EventCollector()
        await client.run(
            ChatRequest(messages: [.user("hi")]), chain: FallbackChain(primary: TestModels.local(server.baseURL)),
            apiKey: { _ in nil }
        ) { event in
            if case .textDelta = event { gate.open() }
            collector.onEvent(event)
        }
        #expect(gate.openedByTest, "the first text must arrive while the server still holds the rest")
        #expect(collector.text == "ab")
        #expect(collector.stopReason == .stop)
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

    @Test func cancellingTheTurnEndsItWithoutRetry() async throws {
        let gate = ScriptGate()
        let server = try ScriptedServer([Script(steps: [
            .send(Array(HTTPResponses.chunkedSSEHead.utf8)), Self.chunk("x"), .wait(gate), Self.chunk("late"),
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
        turn.cancel()
        let report = await turn.value
        gate.open()
        #expect(report.error == .cancelled)
        #expect(collector.events.last == .error(.cancelled))
        #expect(collector.text == "x")
        #expect(clock.sleeps.isEmpty)
        #expect(server.requests.count == 1)
    }

    @Test func turnCanBeConsumedAsAnAsyncSequence() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(OpenAICompletionsFixtures.text)])
        var text = ""
        var last: StreamEvent?
        for await event in client.events(
            ChatRequest(messages: [.user("hi")]), chain: FallbackChain(primary: TestModels.local(server.baseURL)),
            apiKey: { _ in nil })
        {
            if case .textDelta(let piece) = event { text += piece }
            last = event
        }
        #expect(text == "Hello, world")
        #expect(last == .stop(.stop))
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
