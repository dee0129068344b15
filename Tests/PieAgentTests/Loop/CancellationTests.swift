import PieAgent
import PieLocal
import Testing
import PieJSON

@Suite("Agent loop: cancellation, timeout, turn limits")
struct CancellationTests {
    @Test func cancellingMidStreamKeepsAnAbortedReplyAndStops() async {
        let recorder = EventRecorder()
        let provider = ScriptedProvider([
            [.event(.textDelta("partial ")), .pause(milliseconds: 5_000), .event(.stop(.stop))],
            ScriptedProvider.text("never"),
        ])
        let loop = AgentLoop(configuration: LoopFixtures.configuration(provider, recorder: recorder))
        let run = Task { await loop.run(prompts: [.user("go")]) }
        #expect(await eventually { recorder.all.contains { if case .messageUpdate = $0 { true } else { false } } })
        run.cancel()
        let result = await run.value

        #expect(result.outcome == .aborted)
        let reply = result.newMessages.last?.assistant
        #expect(reply?.stopReason == .aborted)
        #expect(reply?.text == "partial ")
        #expect(provider.requests.count == 1)
        #expect(recorder.names.suffix(2) == ["turn_end", "agent_end"])
    }

    @Test func runCancelledBeforeItsFirstTurnStillRecordsThePrompt() async {
        let provider = ScriptedProvider([ScriptedProvider.text("never")])
        let loop = AgentLoop(configuration: LoopFixtures.configuration(provider))
        let run = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await loop.run(prompts: [.user("go")])
        }
        let result = await run.value

        #expect(result.outcome == .aborted)
        #expect(result.newMessages == [.user("go")])
        #expect(provider.requests.isEmpty)
    }

    @Test func cancellingMidToolReachesTheToolAndNoFurtherTurnStarts() async {
        let tools = ScriptedTools()
        let provider = ScriptedProvider([
            // Both tools outlast any scheduling delay, so only the cancellation can end them.
            ScriptedProvider.calls([("c1", "slow", ["delay_ms": 3_600_000]), ("c2", "slow", ["delay_ms": 3_600_000])]),
            ScriptedProvider.text("never"),
        ])
        let loop = AgentLoop(configuration: LoopFixtures.configuration(provider, tools: tools))
        let run = Task { await loop.run(prompts: [.user("go")]) }
        // A bound for a full suite on two cores, where the cooperative pool can be busy with other
        // tests for a minute; the wait ends as soon as both tools run.
        #expect(await eventually(timeout: .seconds(900)) { tools.started.count == 2 })
        run.cancel()
        let result = await run.value

        #expect(result.outcome == .aborted)
        #expect(Set(tools.cancelled) == ["c1", "c2"])
        #expect(LoopFixtures.toolResults(result.newMessages).map(\.toolCallID) == ["c1", "c2"])
        #expect(provider.requests.count == 1)
    }

    @Test func turnTimeoutBoundsTheWholeRun() async {
        let provider = ScriptedProvider([
            // The tool would outlast the test run: only the timeout can end it.
            ScriptedProvider.calls([("c1", "slow", ["delay_ms": 600_000])]),
            ScriptedProvider.text("never"),
        ])
        var configuration = LoopFixtures.configuration(provider)
        configuration.turnTimeout = .milliseconds(300)
        let result = await AgentLoop(configuration: configuration).run(prompts: [.user("go")])

        #expect(result.outcome == .timedOut)
        #expect(LoopFixtures.toolResults(result.newMessages).map(\.isError) == [true])
        #expect(provider.requests.count == 1)
    }

    @Test func turnTimeoutCancelsAStalledStream() async {
        let provider = ScriptedProvider([[.event(.textDelta("thinking…")), .pause(milliseconds: 20_000)]])
        var configuration = LoopFixtures.configuration(provider)
        configuration.turnTimeout = .milliseconds(200)
        let result = await AgentLoop(configuration: configuration).run(prompts: [.user("go")])

        #expect(result.outcome == .timedOut)
        #expect(result.newMessages.last?.assistant?.stopReason == .aborted)
    }

    @Test func runThatFinishesInTimeIsNotMarkedTimedOut() async {
        let provider = ScriptedProvider([ScriptedProvider.text("quick")])
        var configuration = LoopFixtures.configuration(provider)
        configuration.turnTimeout = .seconds(5)
        let result = await AgentLoop(configuration: configuration).run(prompts: [.user("go")])

        #expect(result.outcome == .completed)
    }

    @Test func maxTurnsStopsAModelThatKeepsCallingTools() async {
        let provider = ScriptedProvider(
            (1...5).map { ScriptedProvider.calls([("c\($0)", "read", [:])]) })
        var configuration = LoopFixtures.configuration(provider)
        configuration.maxTurns = 2
        let result = await AgentLoop(configuration: configuration).run(prompts: [.user("go")])

        #expect(result.outcome == .maxTurnsReached(2))
        #expect(provider.requests.count == 2)
        #expect(LoopFixtures.toolResults(result.newMessages).count == 2)
    }

    @Test func maxTurnsIsUnlimitedByDefault() async {
        let provider = ScriptedProvider(
            (1...12).map { ScriptedProvider.calls([("c\($0)", "read", [:])]) } + [ScriptedProvider.text("done")])
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider)).run(prompts: [.user("go")])

        #expect(result.outcome == .completed)
        #expect(provider.requests.count == 13)
    }
}
