import PieAgent
import PieLocal
import Synchronization
import Testing
import PieJSON

/// A queue the hooks drain, as the CLI's steering and follow-up queues do.
private final class MessageQueue: Sendable {
    private let items: Mutex<[AgentMessage]>

    init(_ items: [AgentMessage]) {
        self.items = Mutex(items)
    }

    var drain: @Sendable () async -> [AgentMessage] {
        { self.items.withLock { items in defer { items = [] }; return items } }
    }
}

@Suite("Agent loop: queues, stop hook and context conversion")
struct QueueAndContextTests {
    @Test func steeringQueuedBeforeTheRunJoinsTheFirstRequest() async {
        let steering = MessageQueue([.user("actually, use tabs")])
        let provider = ScriptedProvider([ScriptedProvider.text("adjusted")])
        let hooks = AgentHooks(getSteeringMessages: steering.drain)
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider, hooks: hooks)).run(prompts: [.user("go")])

        #expect(result.outcome == .completed)
        #expect(provider.requests[0].messages == [.user("go"), .user("actually, use tabs")])
    }

    @Test func steeringAfterAReplyWithoutToolsStartsAnotherTurn() async {
        let calls = Mutex(0)
        let provider = ScriptedProvider([ScriptedProvider.text("first"), ScriptedProvider.text("second")])
        let hooks = AgentHooks(getSteeringMessages: {
            let call = calls.withLock { count in
                count += 1
                return count
            }
            return call == 2 ? [.user("one more thing")] : []
        })
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider, hooks: hooks)).run(prompts: [.user("go")])

        #expect(provider.requests.count == 2)
        #expect(provider.requests[1].messages.last == .user("one more thing"))
        #expect(result.newMessages.last?.assistant?.text == "second")
    }

    @Test func followUpsRunAfterTheAgentWouldStop() async {
        let followUps = MessageQueue([.user("now write tests")])
        let provider = ScriptedProvider([ScriptedProvider.text("feature done"), ScriptedProvider.text("tests done")])
        let hooks = AgentHooks(getFollowUpMessages: followUps.drain)
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider, hooks: hooks)).run(prompts: [.user("go")])

        #expect(result.outcome == .completed)
        #expect(provider.requests.count == 2)
        #expect(provider.requests[1].messages.last == .user("now write tests"))
    }

    @Test func shouldStopEndsTheRunAfterTheTurn() async {
        let provider = ScriptedProvider([
            ScriptedProvider.calls([("c1", "read", [:])]), ScriptedProvider.text("never"),
        ])
        let hooks = AgentHooks(shouldStop: { summary in summary.toolResults.contains { $0.toolCallID == "c1" } })
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider, hooks: hooks)).run(prompts: [.user("go")])

        #expect(result.outcome == .stoppedByHook)
        #expect(provider.requests.count == 1)
    }

    @Test func convertToLlmAndTransformContextAreUsedForEveryRequest() async {
        let provider = ScriptedProvider([ScriptedProvider.text("ok")])
        let hooks = AgentHooks(
            convertToLlm: { messages in LLMConversion.convert(messages) + [.user("(converted)")] },
            transformContext: { messages, _ in [.user("(injected)")] + messages })
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider, hooks: hooks)).run(prompts: [.user("go")])

        #expect(provider.requests[0].messages == [.user("(injected)"), .user("go"), .user("(converted)")])
        #expect(result.context.first == .user("(injected)"))
    }

    @Test func danglingToolCallGetsASyntheticResultAndAbortedRepliesAreDropped() {
        let call = ToolCall(id: "c1", name: "read", arguments: ["path": "a"])
        let aborted = AssistantMessage(content: [.text("half")], stopReason: .aborted, model: "m")
        let context: [AgentMessage] = [
            .user("go"),
            .assistant(AssistantMessage(content: [.toolCall(call)], stopReason: .toolUse, model: "m")),
            .user("interrupting"),
            .assistant(aborted),
        ]

        let converted = LLMConversion.convert(context)

        #expect(
            converted == [
                .user("go"), .assistant([.toolCall(call)]),
                .toolResult(toolCallID: "c1", toolName: "read", content: [.text("No result provided")], isError: true),
                .user("interrupting"),
            ])
    }

    @Test func continuingAfterAnAbortedRunSendsAWellFormedRequest() async {
        let first = ScriptedProvider([[.event(.textDelta("stalled")), .pause(milliseconds: 5_000)]])
        let recorder = EventRecorder()
        let loop = AgentLoop(configuration: LoopFixtures.configuration(first, recorder: recorder))
        let run = Task { await loop.run(prompts: [.user("go")]) }
        #expect(await eventually { recorder.all.contains { if case .messageUpdate = $0 { true } else { false } } })
        run.cancel()
        let aborted = await run.value

        let second = ScriptedProvider([ScriptedProvider.text("fresh")])
        let next = await AgentLoop(configuration: LoopFixtures.configuration(second))
            .run(prompts: [.user("again")], context: aborted.context)

        #expect(aborted.context.last?.assistant?.stopReason == .aborted)
        #expect(second.requests[0].messages == [.user("go"), .user("again")])
        #expect(next.outcome == .completed)
    }
}
