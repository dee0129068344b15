import PieAgent
import PieLocal
import Testing
import PieJSON

@Suite("Compactor and automatic compaction")
struct CompactorTests {
    static let summaryText = "## Goal\nShip the feature\n\n## Next Steps\n1. Run tests"

    static func history(turns: Int, tokensPerTurn: Int) -> [AgentMessage] {
        (0..<turns).flatMap { turn -> [AgentMessage] in
            let call = ToolCall(id: "c\(turn)", name: turn.isMultiple(of: 2) ? "read" : "edit", arguments: ["path": .string("f\(turn).py")])
            return [
                .user("step \(turn)"),
                .assistant(AssistantMessage(content: [.toolCall(call)], stopReason: .toolUse, model: "m")),
                .toolResult(
                    ToolResultMessage(
                        toolCallID: call.id, toolName: call.name,
                        content: [.text(String(repeating: "z", count: tokensPerTurn * 4))], isError: false)),
            ]
        }
    }

    @Test func summaryIsStructuredWithFileListsFromToolCalls() async throws {
        let provider = ScriptedProvider([ScriptedProvider.text(Self.summaryText)])
        let compactor = Compactor(provider: provider, model: LoopFixtures.model(contextWindow: 32_768))
        let messages = Self.history(turns: 6, tokensPerTurn: 6_000)

        let result = try await compactor.compact(messages, instructions: "focus on tests")

        #expect(result.summary.summary.hasPrefix(Self.summaryText))
        #expect(result.summary.summary.contains("<read-files>"))
        #expect(result.summary.readFiles == ["f0.py", "f2.py"])
        #expect(result.summary.modifiedFiles == ["f1.py", "f3.py"])
        #expect(result.context.first == .compactionSummary(result.summary))
        #expect(result.context.count == messages.count - result.summary.firstKeptIndex + 1)
        let prompt = try #require(provider.requests.first)
        #expect(prompt.systemPrompt == SummaryPrompt.system)
        guard case .user(let content) = prompt.messages.first, case .text(let text) = content.first else {
            Issue.record("summary request has no user text")
            return
        }
        #expect(text.contains("<conversation>"))
        #expect(text.contains("## Key Decisions"))
        #expect(text.hasSuffix("Additional focus: focus on tests"))
    }

    @Test func summariserRequestIsTrimmedToFitAnEightKWindow() async throws {
        let provider = ScriptedProvider([ScriptedProvider.text(Self.summaryText)])
        let model = LoopFixtures.model(contextWindow: 8_192)
        let compactor = Compactor(provider: provider, model: model)
        let messages = Self.history(turns: 30, tokensPerTurn: 1_500)

        _ = try await compactor.compact(messages)

        let request = try #require(provider.requests.first)
        let size = TokenEstimator.tokens(in: request.systemPrompt ?? "")
            + request.messages.reduce(0) { total, message in
                guard case .user(let content) = message else { return total }
                return total + TokenEstimator.tokens(in: content)
            }
        #expect(size + (request.maxTokens ?? 0) <= model.contextWindow)
        guard case .user(let content) = request.messages.first, case .text(let text) = content.first else {
            Issue.record("summary request has no user text")
            return
        }
        #expect(text.contains("[compaction note: omitted"))
    }

    @Test func nothingToCompactIsATypedError() async {
        let compactor = Compactor(provider: ScriptedProvider([]), model: LoopFixtures.model())
        await #expect(throws: CompactionError.nothingToCompact) {
            try await compactor.compact([.user("tiny")])
        }
    }

    @Test func autoCompactionRunsBeforeARequestOverTheThreshold() async {
        let recorder = EventRecorder()
        let provider = ScriptedProvider([ScriptedProvider.text(Self.summaryText), ScriptedProvider.text("continuing")])
        let model = LoopFixtures.model(contextWindow: 16_384)
        let auto = AutoCompaction(compactor: Compactor(provider: provider, model: model), onEvent: recorder.sink)
        var configuration = LoopFixtures.configuration(
            provider, recorder: recorder, hooks: AgentHooks(transformContext: auto.hook), contextWindow: 16_384)
        configuration.hooks.onEvent = recorder.sink

        let result = await AgentLoop(configuration: configuration)
            .run(prompts: [.user("continue")], context: Self.history(turns: 6, tokensPerTurn: 2_500))

        #expect(result.outcome == .completed)
        #expect(recorder.names.contains("compaction_start"))
        #expect(result.context.first.map { if case .compactionSummary = $0 { true } else { false } } == true)
        #expect(provider.requests.count == 2)
        guard case .user(let content) = provider.requests[1].messages.first, case .text(let text) = content.first else {
            Issue.record("request after compaction does not start with the summary")
            return
        }
        #expect(text.hasPrefix(LLMConversion.summaryPreamble))
    }

    @Test func contextOverflowCompactsAndRetriesOnce() async {
        let recorder = EventRecorder()
        let provider = ScriptedProvider([
            [.fail(.contextOverflow(message: "prompt is too long"))],
            ScriptedProvider.text(Self.summaryText),
            ScriptedProvider.text("fits now"),
        ])
        let model = LoopFixtures.model(contextWindow: 128_000)
        let auto = AutoCompaction(compactor: Compactor(provider: provider, model: model), onEvent: recorder.sink)
        let configuration = LoopFixtures.configuration(provider, recorder: recorder, hooks: AgentHooks(transformContext: auto.hook))

        let result = await AgentLoop(configuration: configuration)
            .run(prompts: [.user("go")], context: Self.history(turns: 8, tokensPerTurn: 2_000))

        #expect(result.outcome == .completed)
        #expect(provider.requests.count == 3)
        #expect(result.newMessages.last?.assistant?.text == "fits now")
        let failed = result.newMessages.compactMap(\.assistant).filter { $0.stopReason == .error }
        #expect(failed.count == 1)
        #expect(recorder.names.filter { $0 == "compaction_end" }.count == 1)
    }

    @Test func secondOverflowFailsWithARecoveryMessage() async {
        let provider = ScriptedProvider([
            [.fail(.contextOverflow(message: "too long"))],
            ScriptedProvider.text(Self.summaryText),
            [.fail(.contextOverflow(message: "still too long"))],
        ])
        let auto = AutoCompaction(compactor: Compactor(provider: provider, model: LoopFixtures.model()), onEvent: { _ in })
        let configuration = LoopFixtures.configuration(provider, hooks: AgentHooks(transformContext: auto.hook))

        let result = await AgentLoop(configuration: configuration)
            .run(prompts: [.user("go")], context: Self.history(turns: 8, tokensPerTurn: 2_000))

        guard case .failed(let message) = result.outcome else {
            Issue.record("expected failed, got \(result.outcome)")
            return
        }
        #expect(message.hasPrefix("Context overflow recovery failed after one compact-and-retry attempt"))
        #expect(provider.requests.count == 3)
    }
}
