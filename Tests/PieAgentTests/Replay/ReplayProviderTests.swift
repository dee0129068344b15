import PieAgent
import PieLocal
import Synchronization
import Testing
import PieJSON

@Suite("Replay provider and transcript")
struct ReplayProviderTests {
    static let model = LoopFixtures.model()

    /// Streams one request and returns the events, or the error.
    static func play(_ provider: ReplayProvider, _ request: ChatRequest) async -> Result<[StreamEvent], any Error> {
        let events = Mutex<[StreamEvent]>([])
        do {
            try await provider.stream(request, model: model, apiKey: nil) { event in events.withLock { $0.append(event) } }
            return .success(events.withLock { $0 })
        } catch {
            return .failure(error)
        }
    }

    @Test func parsesEventsSkippingCommentsAndBlankLines() throws {
        let text = """
            # a comment
            [{"type":"text","text":"hi"},{"type":"usage","input":5,"output":2}]

            [{"type":"expect","tool_results":2,"result_contains":"ok"},{"type":"stop","reason":"length"}]
            """
        let transcript = try ReplayTranscript(parsing: text, source: "t.jsonl")

        #expect(transcript.responses.count == 2)
        #expect(transcript.responses[0].events == [.text("hi"), .usage(Usage(input: 5, output: 2))])
        #expect(transcript.responses[1].expectedToolResults == 2)
        #expect(transcript.responses[1].expectedResultText == "ok")
        #expect(transcript.responses[1].line == 4)
    }

    @Test func malformedLinesNameTheLine() {
        #expect(throws: ReplayError.malformedLine(source: "t", line: 2, reason: "the line is not a JSON array")) {
            try ReplayTranscript(parsing: "[]\n{\"type\":\"text\"}", source: "t")
        }
        #expect(throws: ReplayError.self) {
            try ReplayTranscript(parsing: "[{\"type\":\"teleport\"}]", source: "t")
        }
    }

    @Test func servesResponsesInOrderWithRawToolArguments() async throws {
        let text = """
            [{"type":"text","text":"calling"},{"type":"tool_call","id":"c1","name":"read","arguments":"{\\"path\\": \\"a.txt\\""}]
            [{"type":"text","text":"done"}]
            """
        let provider = ReplayProvider(transcript: try ReplayTranscript(parsing: text, source: "t"))

        let first = try await Self.play(provider, ChatRequest(messages: [.user("go")])).get()
        #expect(
            first == [
                .textDelta("calling"), .toolCallStart(index: 0, id: "c1", name: "read"),
                .toolCallDelta(index: 0, fragment: "{\"path\": \"a.txt\"", partial: ["path": "a.txt"]),
                .toolCallEnd(
                    index: 0,
                    call: ToolCall(
                        id: "c1", name: "read", arguments: ["path": "a.txt"], rawArguments: "{\"path\": \"a.txt\"")),
                .stop(.toolUse),
            ])
        let answered = ChatRequest(messages: [
            .user("go"), .toolResult(toolCallID: "c1", toolName: "read", content: [.text("x")], isError: false),
        ])
        let second = try await Self.play(provider, answered).get()
        #expect(second == [.textDelta("done"), .stop(.stop)])
        #expect(provider.remaining == 0)
    }

    @Test func runningOutIsAClearError() async throws {
        let provider = ReplayProvider(transcript: try ReplayTranscript(parsing: "[{\"type\":\"text\",\"text\":\"one\"}]", source: "demo.jsonl"))
        _ = await Self.play(provider, ChatRequest(messages: [.user("go")]))

        let second = await Self.play(provider, ChatRequest(messages: [.user("more")]))

        guard case .failure(let error as ReplayError) = second else {
            Issue.record("expected a replay error, got \(second)")
            return
        }
        #expect(error == .transcriptExhausted(source: "demo.jsonl", served: 1))
        #expect("\(error)".contains("no response left"))
    }

    @Test func missingToolResultsAreReportedAsDivergence() async throws {
        let text = """
            [{"type":"tool_call","id":"c1","name":"read","arguments":"{}"},{"type":"tool_call","id":"c2","name":"read","arguments":"{}"}]
            [{"type":"text","text":"done"}]
            """
        let provider = ReplayProvider(transcript: try ReplayTranscript(parsing: text, source: "t"))
        _ = await Self.play(provider, ChatRequest(messages: [.user("go")]))

        let short = ChatRequest(messages: [.toolResult(toolCallID: "c1", toolName: "read", content: [], isError: false)])
        let result = await Self.play(provider, short)

        guard case .failure(let error as ReplayError) = result, case .unexpectedRequest(_, let line, _) = error else {
            Issue.record("expected a divergence error, got \(result)")
            return
        }
        #expect(line == 2)
    }

    @Test func recordedErrorsAreThrownAsProviderErrors() async throws {
        let text = "[{\"type\":\"error\",\"kind\":\"context_overflow\",\"message\":\"too long\"}]"
        let provider = ReplayProvider(transcript: try ReplayTranscript(parsing: text, source: "t"))

        let result = await Self.play(provider, ChatRequest(messages: [.user("go")]))

        guard case .failure(let error as ProviderError) = result else {
            Issue.record("expected a provider error, got \(result)")
            return
        }
        #expect(error == .contextOverflow(message: "too long"))
    }
}
