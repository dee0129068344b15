import PieAgent
import PieLocal
import Testing
import PieJSON

@Suite("Agent loop: events and tool round trips")
struct AgentLoopTests {
    @Test func textOnlyTurnEmitsPiEventsInOrder() async {
        let recorder = EventRecorder()
        let provider = ScriptedProvider([ScriptedProvider.text("Hello", usage: Usage(input: 10, output: 2))])
        let loop = AgentLoop(configuration: LoopFixtures.configuration(provider, recorder: recorder))

        let result = await loop.run(prompts: [.user("hi")])

        #expect(result.outcome == .completed)
        #expect(
            recorder.names == [
                "agent_start", "turn_start", "message_start", "message_end", "message_start", "message_end",
                "turn_end", "agent_end",
            ])
        #expect(recorder.all.contains { if case .messageUpdate = $0 { true } else { false } })
        #expect(result.newMessages.count == 2)
        #expect(result.newMessages.last?.assistant?.text == "Hello")
        #expect(result.usage.totalTokens == 12)
        #expect(provider.requests.first?.systemPrompt == "You are a test.")
    }

    @Test func toolRoundTripSendsResultBackAndFinishes() async {
        let recorder = EventRecorder()
        let provider = ScriptedProvider([
            ScriptedProvider.calls([("c1", "read", ["output": "file body"])]),
            ScriptedProvider.text("done"),
        ])
        let loop = AgentLoop(configuration: LoopFixtures.configuration(provider, recorder: recorder))

        let result = await loop.run(prompts: [.user("read it")])

        #expect(result.outcome == .completed)
        #expect(
            recorder.names == [
                "agent_start", "turn_start", "message_start", "message_end", "message_start", "message_end",
                "tool_execution_start", "tool_execution_update", "tool_execution_end", "message_start", "message_end",
                "turn_end", "turn_start", "message_start", "message_end", "turn_end", "agent_end",
            ])
        let second = provider.requests[1].messages
        #expect(second.last == .toolResult(toolCallID: "c1", toolName: "read", content: [.text("file body")], isError: false))
    }

    @Test func unknownToolGetsNotFoundResult() async {
        let provider = ScriptedProvider([
            ScriptedProvider.calls([("c1", "teleport", [:])]), ScriptedProvider.text("ok"),
        ])
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider)).run(prompts: [.user("go")])

        let results = LoopFixtures.toolResults(result.newMessages)
        #expect(results.count == 1)
        #expect(results.first?.isError == true)
        #expect(LoopFixtures.text(results[0]) == "Tool teleport not found")
        #expect(result.outcome == .completed)
    }

    @Test func toolErrorNeverAbortsTheRun() async {
        let provider = ScriptedProvider([
            ScriptedProvider.calls([("c1", "broken", ["fail": "disk on fire"]), ("c2", "read", [:])]),
            ScriptedProvider.text("recovered"),
        ])
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider)).run(prompts: [.user("go")])

        #expect(result.outcome == .completed)
        let results = LoopFixtures.toolResults(result.newMessages)
        #expect(results.map(\.isError) == [true, false])
        #expect(LoopFixtures.text(results[0]).contains("disk on fire"))
        #expect(provider.requests.count == 2)
    }

    @Test func deniedCallReturnsPolicyReasonAndTheRunContinues() async {
        let tools = ScriptedTools()
        let hooks = AgentHooks(beforeToolCall: { context in
            context.call.name == "bash" ? .block(reason: "Denied by policy: curl piped to sh") : .allow
        })
        let provider = ScriptedProvider([
            ScriptedProvider.calls([("c1", "bash", ["command": "curl x | sh"]), ("c2", "read", [:])]),
            ScriptedProvider.text("I will not do that"),
        ])
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider, tools: tools, hooks: hooks))
            .run(prompts: [.user("install")])

        #expect(result.outcome == .completed)
        let results = LoopFixtures.toolResults(result.newMessages)
        #expect(results.map(\.toolCallID) == ["c1", "c2"])
        #expect(results[0].isError)
        #expect(LoopFixtures.text(results[0]) == "Denied by policy: curl piped to sh")
        #expect(tools.started == ["c2"])
    }

    @Test func afterToolCallSeesEveryResultAndMayReplaceIt() async {
        let hooks = AgentHooks(
            beforeToolCall: { $0.call.id == "c2" ? .block(reason: "no") : .allow },
            afterToolCall: { _, result in
                ToolResult(content: [.text("[redacted]")], isError: result.isError, details: .custom(["audited": true]))
            })
        let provider = ScriptedProvider([
            ScriptedProvider.calls([("c1", "read", ["output": "secret=abc"]), ("c2", "read", [:])]),
            ScriptedProvider.text("ok"),
        ])
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider, hooks: hooks)).run(prompts: [.user("go")])

        let results = LoopFixtures.toolResults(result.newMessages)
        #expect(results.map(LoopFixtures.text) == ["[redacted]", "[redacted]"])
        #expect(results.map(\.isError) == [false, true])
        #expect(results.allSatisfy { $0.details == ["audited": true] })
    }

    @Test func retryingDiscardsThePartialOutputOfTheFailedAttempt() async {
        let provider = ScriptedProvider([
            [
                .event(.textDelta("garbled")), .event(.retrying(attempt: 1, delayMilliseconds: 0, reason: .timeout(milliseconds: 5))),
                .event(.textDelta("clean")), .event(.stop(.stop)),
            ]
        ])
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider)).run(prompts: [.user("go")])

        #expect(result.newMessages.last?.assistant?.text == "clean")
    }

    @Test func providerErrorEndsTheRunAsFailedWithTheReplyKept() async {
        let provider = ScriptedProvider([[.event(.textDelta("par")), .fail(.http(status: 500, retryAfterMilliseconds: nil, briefBody: "boom"))]])
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider)).run(prompts: [.user("go")])

        guard case .failed(let message) = result.outcome else {
            Issue.record("expected failed, got \(result.outcome)")
            return
        }
        #expect(message.contains("HTTP 500"))
        #expect(result.newMessages.last?.assistant?.stopReason == .error)
    }

    @Test func jsonLinesStartWithTypeAndCarryPiFields() async {
        let recorder = EventRecorder()
        let provider = ScriptedProvider([
            ScriptedProvider.calls([("c1", "read", ["path": "a.txt"])]), ScriptedProvider.text("done"),
        ])
        _ = await AgentLoop(configuration: LoopFixtures.configuration(provider, recorder: recorder)).run(prompts: [.user("go")])

        let lines = recorder.all.map(\.jsonLine)
        #expect(lines.allSatisfy { $0.hasPrefix("{\"type\":\"") })
        #expect(lines.first == "{\"type\":\"agent_start\"}")
        let start = lines.first { $0.hasPrefix("{\"type\":\"tool_execution_start\"") }
        #expect(start == "{\"type\":\"tool_execution_start\",\"toolCallId\":\"c1\",\"toolName\":\"read\",\"args\":{\"path\":\"a.txt\"}}")
        let end = lines.first { $0.hasPrefix("{\"type\":\"tool_execution_end\"") }
        #expect(end?.hasSuffix("\"isError\":false}") == true)
        #expect(lines.last?.hasPrefix("{\"type\":\"agent_end\",\"outcome\":\"completed\",\"messages\":[") == true)
        for line in lines { #expect((try? JSONParser.parse(line)) != nil) }
    }
}
