import Foundation
import PieAgent
import PieJSON
import PieLocal
import PiePolicy
@testable import PieRuntime
import PieSandbox
import PieTestSupport
import Testing

/// `task` end to end: a parent agent over a scripted OpenAI-compatible server delegates to
/// sub-agents that the same server answers, with real confined tools, real session files and the
/// real audit log.
@Suite("task: delegated sub-agents")
struct TaskToolTests {
    @Test func aSubAgentAnswersWithItsOwnSessionLinkedToTheCall() async throws {
        let scratch = try Scratch()
        try scratch.write("notes.txt", "the word is plum\n")
        try scratch.write(
            ".pie/skills/release/SKILL.md", "---\nname: release\ndescription: Cutting a release of this project\n---\nSteps.\n")
        let server = try ScriptedServer(responses: [
            TaskFixtures.calls([("call_t1", "task", TaskFixtures.task("find the word", "Which word is in notes.txt?"))]),
            TaskFixtures.calls([("call_r1", "read", ["path": "notes.txt"])]),
            TaskFixtures.text("The word is plum."),
            TaskFixtures.text("Done."),
        ])
        var agent = try TaskFixtures.builder(scratch).build(TaskFixtures.options(scratch, server))

        let result = await agent.send("Find the word, please.")

        #expect(result.outcome == .completed)
        let results = TaskFixtures.toolResults(result.newMessages)
        try #require(results.count == 1)
        #expect(TaskFixtures.text(results[0]) == "The word is plum.")
        #expect(!results[0].isError)
        let details = try #require(TaskFixtures.taskDetails(results[0]))
        #expect(details.tools == ["read", "grep", "find", "ls"])
        #expect(details.outcome == "completed")
        #expect(details.turns == 2)
        #expect(details.inputTokens == 10)

        // The parent offers task; the sub-agent gets the read-only tools, not the parent's
        // conversation, and a system prompt saying whom it answers.
        let requests = server.requests
        try #require(requests.count == 4)
        #expect(TaskFixtures.offeredTools(requests[0]).contains("task"))
        #expect(TaskFixtures.offeredTools(requests[1]) == ["read", "grep", "find", "ls"])
        #expect(!requests[1].bodyText.contains("Find the word, please."))
        #expect(requests[1].bodyText.contains("Which word is in notes.txt?"))
        #expect(requests[1].bodyText.contains("You are a sub-agent"))
        #expect(requests[1].bodyText.contains("Cutting a release of this project"))

        // Its transcript is a session of its own whose header names the parent and the call.
        let parent = try #require(agent.recorder?.session)
        let path = try #require(details.sessionPath)
        let store = SessionStore(directory: try #require(PieDirectory.resolve(environment: scratch.environment)))
        let child = try store.open(path: path)
        // Kept apart from the project's sessions: `-c` and the listings offer the parent only.
        #expect(path.hasPrefix(scratch.home + "/.pie/subagents/"))
        #expect(store.list(cwd: scratch.project).sessions.map(\.id) == [parent.id])
        #expect(child.header.parentSession == parent.path)
        #expect(child.header.parentToolCall == "call_t1")
        #expect(child.id == details.sessionID)
        #expect(child.entries.contains { $0.role == "toolResult" })
        // `/tree` reads the link from the parent's result entry.
        let linked = parent.entries.compactMap(\.delegatedSession)
        #expect(linked == [SessionEntry.DelegatedSession(id: child.id, path: path, outcome: "completed")])

        // The sub-agent's calls are audited with the task call's id; the task call itself is not.
        let records = try TaskFixtures.auditRecords(scratch)
        let read = records.filter { $0["tool"]?.stringValue == "read" }
        #expect(read.map { $0["event"]?.stringValue } == ["decision", "completion"])
        #expect(read.allSatisfy { $0["parent_call"]?.stringValue == "call_t1" })
        let task = records.filter { $0["tool"]?.stringValue == "task" }
        #expect(task.count == 2)
        #expect(task.allSatisfy { $0["parent_call"] == nil && $0["decision"]?.stringValue == "allow" })
        #expect(Set(records.compactMap { $0["session"]?.stringValue }) == [parent.id])
        #expect(try AuditVerifier.verify(path: TaskFixtures.auditLogPath(scratch)).isIntact)
    }

    @Test func severalTasksInOneReplyRunAtTheSameTime() async throws {
        let scratch = try Scratch()
        let gate = ScriptGate()
        // Each sub-agent's request is held until both have arrived: run one after the other,
        // the second would never be sent while the first waits.
        let held = Script(steps: [.wait(gate), .send(Array(TaskFixtures.text("found it").utf8))])
        let server = try ScriptedServer([
            Script(steps: [.send(Array(TaskFixtures.calls([
                ("call_a", "task", TaskFixtures.task("first", "Look at a.")),
                ("call_b", "task", TaskFixtures.task("second", "Look at b.")),
            ]).utf8))]),
            held, held,
            Script(steps: [.send(Array(TaskFixtures.text("Both done.").utf8))]),
        ])
        let agent = try TaskFixtures.builder(scratch).build(TaskFixtures.options(scratch, server))
        let run = Task { var agent = agent; return await agent.send("Look at both.") }

        let bothArrived = await TaskFixtures.eventually { server.requests.count == 3 }
        gate.open()
        let result = await run.value

        #expect(bothArrived)
        #expect(result.outcome == .completed)
        let results = TaskFixtures.toolResults(result.newMessages)
        #expect(results.map(\.toolCallID) == ["call_a", "call_b"])
        #expect(results.map(TaskFixtures.text) == ["found it", "found it"])
        let sessions = Set(results.compactMap { TaskFixtures.taskDetails($0)?.sessionID })
        #expect(sessions.count == 2)
    }

    @Test func cancellingTheParentStopsARunningSubAgent() async throws {
        let scratch = try Scratch()
        let gate = ScriptGate()
        let server = try ScriptedServer([
            Script(steps: [.send(Array(TaskFixtures.calls([("call_t", "task", TaskFixtures.task("wait", "Wait."))]).utf8))]),
            Script(steps: [.wait(gate), .send(Array(TaskFixtures.text("too late").utf8))]),
        ])
        let agent = try TaskFixtures.builder(scratch).build(TaskFixtures.options(scratch, server))
        let supervisor = try #require(agent.tasks)
        let run = Task { var agent = agent; return await agent.send("go") }

        // The sub-agent's model request has started and is held by the server.
        #expect(await TaskFixtures.eventually { server.requests.count == 2 && supervisor.runningCount == 1 })
        let cancelled = ContinuousClock.now
        run.cancel()
        let result = await run.value
        let elapsed = ContinuousClock.now - cancelled

        // The run ended while the server still held the sub-agent's answer: the cancellation
        // reached the sub-agent's request rather than waiting for it.
        #expect(!gate.openedByTest)
        gate.open()
        // Generous for a loaded machine; without the cancellation the held request ends at 120 s.
        #expect(elapsed < .seconds(60))
        #expect(result.outcome == .aborted)
        #expect(supervisor.runningCount == 0)
        let results = TaskFixtures.toolResults(result.newMessages)
        try #require(results.count == 1)
        #expect(TaskFixtures.taskDetails(results[0])?.outcome == "aborted")
        #expect(TaskFixtures.text(results[0]).contains("cancelled"))
        #expect(server.requests.count == 2)
    }

    @Test func theParentsTimeoutStopsARunningSubAgent() async throws {
        let scratch = try Scratch()
        let gate = ScriptGate()
        let clock = GateClock()
        let server = try ScriptedServer([
            Script(steps: [.send(Array(TaskFixtures.calls([("call_t", "task", TaskFixtures.task("wait", "Wait."))]).utf8))]),
            Script(steps: [.wait(gate), .send(Array(TaskFixtures.text("too late").utf8))]),
        ])
        var options = TaskFixtures.options(scratch, server)
        // The parent's whole prompt may take 30 s, the sub-agent 5 min; both run on the test's
        // clock, and only the parent's timeout is made to expire.
        options.turnTimeoutMilliseconds = 30_000
        let agent = try TaskFixtures.builder(scratch, clock: clock).build(options)
        let supervisor = try #require(agent.tasks)
        let run = Task { var agent = agent; return await agent.send("go") }

        #expect(
            await TaskFixtures.eventually {
                server.requests.count == 2 && supervisor.runningCount == 1
                    && Set(clock.waitingFor) == [.milliseconds(30_000), .milliseconds(300_000)]
            })
        clock.expire(after: .milliseconds(30_000))
        let result = await run.value

        #expect(!gate.openedByTest)
        gate.open()
        #expect(result.outcome == .timedOut)
        #expect(supervisor.runningCount == 0)
        // The sub-agent's own budget never ran out: the parent's stop reached it.
        #expect(clock.waiting == 0)
        let results = TaskFixtures.toolResults(result.newMessages)
        try #require(results.count == 1)
        #expect(TaskFixtures.taskDetails(results[0])?.outcome == "aborted")
        #expect(server.requests.count == 2)
    }

    @Test func aSubAgentOutOfTimeStopsAndTheParentGoesOn() async throws {
        let scratch = try Scratch()
        let gate = ScriptGate()
        let clock = GateClock()
        let server = try ScriptedServer([
            Script(steps: [.send(Array(TaskFixtures.calls([("call_t", "task", TaskFixtures.task("slow", "Take long."))]).utf8))]),
            Script(steps: [.wait(gate), .send(Array(TaskFixtures.text("too late").utf8))]),
            Script(steps: [.send(Array(TaskFixtures.text("It timed out; moving on.").utf8))]),
        ])
        let options = TaskFixtures.options(scratch, server, limits: TaskLimits(timeoutMilliseconds: 5_000))
        let agent = try TaskFixtures.builder(scratch, clock: clock).build(options)
        let run = Task { var agent = agent; return await agent.send("go") }

        #expect(await TaskFixtures.eventually { server.requests.count == 2 && clock.waiting == 1 })
        clock.expire()
        let result = await run.value
        gate.open()

        #expect(result.outcome == .completed)
        let results = TaskFixtures.toolResults(result.newMessages)
        try #require(results.count == 1)
        #expect(results[0].isError)
        #expect(TaskFixtures.text(results[0]).hasPrefix("[The sub-agent ran out of time (5000 ms)"))
        #expect(TaskFixtures.taskDetails(results[0])?.outcome == "timed_out")
        #expect(result.newMessages.last?.assistant?.text == "It timed out; moving on.")
    }

    @Test func aSubAgentStopsAtItsTurnLimit() async throws {
        let scratch = try Scratch()
        try scratch.write("a.txt", "a\n")
        let server = try ScriptedServer(responses: [
            TaskFixtures.calls([("call_t", "task", TaskFixtures.task("loop", "Read forever."))]),
            TaskFixtures.calls([("call_r", "read", ["path": "a.txt"])]),
            TaskFixtures.text("Parent carries on."),
        ])
        let options = TaskFixtures.options(scratch, server, limits: TaskLimits(maxTurns: 1))
        var agent = try TaskFixtures.builder(scratch).build(options)

        let result = await agent.send("go")

        #expect(result.outcome == .completed)
        let results = TaskFixtures.toolResults(result.newMessages)
        try #require(results.count == 1)
        #expect(results[0].isError)
        #expect(TaskFixtures.text(results[0]).hasPrefix("[The sub-agent used all its 1 turns"))
        #expect(TaskFixtures.taskDetails(results[0])?.outcome == "max_turns")
        #expect(server.requests.count == 3)
    }

    @Test func aLongAnswerIsCutWithAMarkerNamingTheSession() async throws {
        let scratch = try Scratch()
        let long = String(repeating: "ü", count: 600)
        let server = try ScriptedServer(responses: [
            TaskFixtures.calls([("call_t", "task", TaskFixtures.task("long", "Write a lot."))]),
            TaskFixtures.text(long),
            TaskFixtures.text("ok"),
        ])
        let options = TaskFixtures.options(scratch, server, limits: TaskLimits(maxResultBytes: 201))
        var agent = try TaskFixtures.builder(scratch).build(options)

        let result = await agent.send("go")

        let results = TaskFixtures.toolResults(result.newMessages)
        try #require(results.count == 1)
        let text = TaskFixtures.text(results[0])
        let details = try #require(TaskFixtures.taskDetails(results[0]))
        // 201 bytes hold 100 two-byte characters; none is split.
        #expect(text.hasPrefix(String(repeating: "ü", count: 100) + "\n\n[Result truncated: 200 of 1200 bytes shown."))
        #expect(text.hasSuffix("The whole transcript is in session \(details.sessionID ?? "?").]"))
        #expect(details.truncated)
        #expect(!results[0].isError)
    }

    @Test func aSpentBudgetStopsEverySubAgent() async throws {
        let scratch = try Scratch()
        try scratch.write("a.txt", "a\n")
        let first = ScriptGate()
        let held = ScriptGate()
        // Whichever sub-agent asks first reads a file and reports usage; the other is held.
        let server = try ScriptedServer([
            Script(steps: [.send(Array(TaskFixtures.calls([
                ("call_a", "task", TaskFixtures.task("a", "Read a.txt.")),
                ("call_b", "task", TaskFixtures.task("b", "Read a.txt.")),
            ]).utf8))]),
            Script(steps: [.wait(first), .send(Array(TaskFixtures.calls([("call_r", "read", ["path": "a.txt"])], usage: 500).utf8))]),
            Script(steps: [.wait(held), .send(Array(TaskFixtures.text("too late").utf8))]),
            Script(steps: [.send(Array(TaskFixtures.text("Stopped.").utf8))]),
        ])
        let agent = try TaskFixtures.builder(scratch).build(TaskFixtures.options(scratch, server))
        let supervisor = try #require(agent.tasks)
        supervisor.limitUsage { usage in usage.input > 100 ? "max_tokens 100 exceeded" : nil }
        let run = Task { var agent = agent; return await agent.send("go") }

        #expect(await TaskFixtures.eventually { server.requests.count == 3 })
        first.open()
        let result = await run.value

        #expect(!held.openedByTest)
        held.open()
        #expect(supervisor.stopReason == "max_tokens 100 exceeded")
        let results = TaskFixtures.toolResults(result.newMessages)
        try #require(results.count == 2)
        for result in results {
            #expect(result.isError)
            #expect(TaskFixtures.text(result).hasPrefix("[The sub-agent was stopped: max_tokens 100 exceeded.]"))
        }
        #expect(Set(results.compactMap { TaskFixtures.taskDetails($0)?.outcome }) == ["stopped", "aborted"])
    }

    @Test func aSubAgentIsNotOfferedTaskAndCannotCallIt() async throws {
        let scratch = try Scratch()
        let server = try ScriptedServer(responses: [
            TaskFixtures.calls([("call_t", "task", TaskFixtures.task("outer", "Delegate again."))]),
            TaskFixtures.calls([("call_inner", "task", TaskFixtures.task("inner", "Deeper."))]),
            TaskFixtures.text("I cannot delegate."),
            TaskFixtures.text("ok"),
        ])
        var agent = try TaskFixtures.builder(scratch).build(TaskFixtures.options(scratch, server))

        let result = await agent.send("go")

        #expect(result.outcome == .completed)
        let requests = server.requests
        try #require(requests.count == 4)
        #expect(!TaskFixtures.offeredTools(requests[1]).contains("task"))
        #expect(requests[2].bodyText.contains("Tool task not found"))
        #expect(TaskFixtures.text(TaskFixtures.toolResults(result.newMessages)[0]) == "I cannot delegate.")
    }

    @Test func aSubAgentIsHeldToTheParentsPolicy() async throws {
        let scratch = try Scratch()
        try scratch.write(scratch.home + "/.ssh/id_ed25519", "PRIVATE KEY\n")
        let server = try ScriptedServer(responses: [
            TaskFixtures.calls([("call_t", "task", TaskFixtures.task("edit", "Leak and write.", tools: ["read", "write"]))]),
            TaskFixtures.calls([
                ("call_key", "read", ["path": .string(scratch.home + "/.ssh/id_ed25519")]),
                ("call_out", "write", ["path": .string(scratch.root + "/outside.txt"), "content": "x"]),
            ]),
            TaskFixtures.text("Both refused."),
            TaskFixtures.text("ok"),
        ])
        // A person approves the delegation with write; the sub-agent's calls are still judged.
        var agent = try TaskFixtures.builder(scratch).build(TaskFixtures.options(scratch, server), approver: YesApprover())

        let result = await agent.send("go")

        #expect(result.outcome == .completed)
        let requests = server.requests
        try #require(requests.count == 4)
        let subResults = requests[2].bodyText
        #expect(!subResults.contains("PRIVATE KEY"))
        #expect(subResults.contains("Denied by policy"))
        #expect(!scratch.exists(scratch.root + "/outside.txt"))
        let records = try TaskFixtures.auditRecords(scratch)
        let approval = records.first { $0["tool"]?.stringValue == "task" && $0["event"]?.stringValue == "approval" }
        #expect(approval?["rule"]?.stringValue == "task_tool")
        let denied = records.filter { $0["parent_call"]?.stringValue == "call_t" && $0["event"]?.stringValue == "decision" }
        #expect(denied.map { $0["decision"]?.stringValue } == ["deny", "deny"])
    }

    @Test func questionsFromSubAgentsRunningSideBySideAreAskedOneAtATime() async throws {
        let scratch = try Scratch()
        let profile = try scratch.write("policy.toml", "ask_paths = [\"**/out.txt\"]\n")
        let write = TaskFixtures.calls([("call_w", "write", ["path": "out.txt", "content": "x"])])
        let server = try ScriptedServer(responses: [
            TaskFixtures.calls([
                ("call_a", "task", TaskFixtures.task("a", "Write out.txt.", tools: ["write"])),
                ("call_b", "task", TaskFixtures.task("b", "Write out.txt.", tools: ["write"])),
            ]),
            write, write, TaskFixtures.text("written"), TaskFixtures.text("written"), TaskFixtures.text("Both wrote."),
        ])
        var options = TaskFixtures.options(scratch, server)
        options.policy = PolicySelection(profile: profile)
        let approver = CountingApprover()
        var agent = try TaskFixtures.builder(scratch).build(options, approver: approver)

        let result = await agent.send("go")

        #expect(result.outcome == .completed)
        #expect(approver.asked == ["task", "task", "write", "write"])
        // One terminal, one question at a time: a "y" can only answer the call it was asked about
        // (acting sub-agents also take turns; `OneAtATimeApproverTests` checks the approver alone).
        #expect(approver.mostOpen == 1)
        #expect(scratch.exists("out.txt"))
    }

    @Test func subAgentsThatMayWriteTakeTurns() async throws {
        let scratch = try Scratch()
        let gate = ScriptGate()
        // Whichever starts first is held; the other must wait for it, not ask the model.
        let server = try ScriptedServer([
            Script(steps: [.send(Array(TaskFixtures.calls([
                ("call_a", "task", TaskFixtures.task("a", "Write a.", tools: ["write"])),
                ("call_b", "task", TaskFixtures.task("b", "Write b.", tools: ["write"])),
            ]).utf8))]),
            Script(steps: [.wait(gate), .send(Array(TaskFixtures.text("first").utf8))]),
            Script(steps: [.send(Array(TaskFixtures.text("second").utf8))]),
            Script(steps: [.send(Array(TaskFixtures.text("Both done.").utf8))]),
        ])
        let agent = try TaskFixtures.builder(scratch).build(TaskFixtures.options(scratch, server), approver: YesApprover())
        let tool = try #require(agent.runner.tool(named: "task") as? TaskTool)
        let run = Task { var agent = agent; return await agent.send("go") }

        let waiting = await TaskFixtures.eventually { server.requests.count == 2 && tool.delegation.acting.waitingCount == 1 }
        #expect(server.requests.count == 2)
        gate.open()
        let result = await run.value

        #expect(waiting)
        #expect(result.outcome == .completed)
        #expect(Set(TaskFixtures.toolResults(result.newMessages).map(TaskFixtures.text)) == ["first", "second"])
    }

    @Test func withoutASessionTheSubAgentKeepsNone() async throws {
        let scratch = try Scratch()
        let server = try ScriptedServer(responses: [
            TaskFixtures.calls([("call_t", "task", TaskFixtures.task("quick", "Say hi."))]),
            TaskFixtures.text("hi"),
            TaskFixtures.text("ok"),
        ])
        var options = TaskFixtures.options(scratch, server)
        options.session = .none
        var agent = try TaskFixtures.builder(scratch).build(options)

        let result = await agent.send("go")

        let details = try #require(TaskFixtures.taskDetails(TaskFixtures.toolResults(result.newMessages)[0]))
        #expect(details.sessionPath == nil)
        #expect(!FileManager.default.fileExists(atPath: scratch.home + "/.pie/sessions"))
    }

    @Test func withoutTaskLimitsThereIsNoTaskTool() throws {
        let scratch = try Scratch()
        let server = try ScriptedServer(responses: [])
        var options = TaskFixtures.options(scratch, server)
        options.tasks = nil
        let agent = try TaskFixtures.builder(scratch).build(options)
        #expect(agent.runner.tool(named: "task") == nil)
        #expect(agent.tasks == nil)
    }
}
