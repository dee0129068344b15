import PieAgent
import PieLocal
import Testing
import PieJSON

@Suite("Agent loop: parallel tool execution")
struct ParallelToolTests {
    @Test func parallelCallsOverlapAndResultsKeepSourceOrder() async {
        let tools = ScriptedTools()
        let recorder = EventRecorder()
        let provider = ScriptedProvider([
            ScriptedProvider.calls([
                ("slow", "slow", ["rendezvous": 3, "delay_ms": 200]), ("mid", "slow", ["rendezvous": 3, "delay_ms": 100]),
                ("fast", "read", ["rendezvous": 3]),
            ]),
            ScriptedProvider.text("done"),
        ])
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider, tools: tools, recorder: recorder))
            .run(prompts: [.user("go")])

        #expect(LoopFixtures.toolResults(result.newMessages).map(\.toolCallID) == ["slow", "mid", "fast"])
        #expect(tools.maxRunning == 3)
        #expect(LoopFixtures.toolResults(result.newMessages).allSatisfy { !$0.isError })
        #expect(tools.finished == ["fast", "mid", "slow"])
        let ends = recorder.all.compactMap { event -> String? in
            if case .toolExecutionEnd(let call, _) = event { return call.id }
            return nil
        }
        #expect(ends == ["fast", "mid", "slow"])
        let request = provider.requests[1].messages.suffix(3).map { message -> String in
            if case .toolResult(let id, _, _, _) = message { return id }
            return "?"
        }
        #expect(request == ["slow", "mid", "fast"])
    }

    @Test func toolThatRunsAloneDoesNotOverlapOthers() async {
        let tools = ScriptedTools(alone: ["exclusive"])
        let provider = ScriptedProvider([
            ScriptedProvider.calls([
                ("a", "slow", ["rendezvous": 2, "delay_ms": 40]), ("b", "slow", ["rendezvous": 2]),
                ("x", "exclusive", ["delay_ms": 40]), ("c", "slow", ["delay_ms": 20]),
            ]),
            ScriptedProvider.text("done"),
        ])
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider, tools: tools))
            .run(prompts: [.user("go")])

        #expect(LoopFixtures.toolResults(result.newMessages).map(\.toolCallID) == ["a", "b", "x", "c"])
        #expect((tools.overlapAtStart("a") ?? 0) + (tools.overlapAtStart("b") ?? 0) == 1)
        #expect(tools.overlapAtStart("x") == 0)
        #expect(tools.overlapAtStart("c") == 0)
        #expect(Array(tools.finished.suffix(2)) == ["x", "c"])
    }
}
