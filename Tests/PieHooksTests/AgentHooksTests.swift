import Foundation
import PieAgent
import PieHooks
import PieJSON
import PiePolicy
import PieRuntime
import PieSandbox
import PieTestSupport
import Synchronization
import Testing

/// Hooks through the whole agent: `AgentBuilder`, the loop, the scripted model over loopback
/// HTTP, the real sandbox and the audit log.
@Suite("Hooks in a real agent run")
struct AgentHooksTests {
    /// Collects the builder's warnings (they arrive synchronously while it builds).
    final class Warnings: Sendable {
        let items = Mutex<[String]>([])
        func add(_ warning: AgentBuildWarning) { items.withLock { $0.append(warning.description) } }
        var all: [String] { items.withLock { $0 } }
    }

    @Test func aPreToolHookDeniesACallAndTheModelGetsItsStderr() async throws {
        let scratch = try HookScratch()
        let server = try ScriptedServer(responses: [
            ModelReplies.toolCall(id: "call_1", name: "bash", arguments: .object(JSONObject([("command", .string("touch ran.txt"))]))),
            ModelReplies.text("Understood."),
        ])
        defer { server.stop() }
        try scratch.registerModel(server)
        try scratch.write(
            scratch.userHooks,
            """
            [[hook]]
            event = "pre_tool"
            tool = "bash"
            command = "echo \\"no deploys on friday ($PIE_TOOL_NAME)\\" >&2; exit 2"
            """)
        var agent = try scratch.builder().build(scratch.options())

        let result = await agent.send("run it")
        await agent.lifecycle?.drain()

        #expect(result.outcome == .completed)
        #expect(!scratch.exists("ran.txt"))
        let toolResults = try #require(server.requests.last).toolResults
        #expect(toolResults == ["Denied by pre_tool hook: no deploys on friday (bash)"])
        let decision = try #require(
            try scratch.read(scratch.auditLog).map { text in
                try text.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
            }?.first { $0["event"]?.stringValue == "decision" })
        #expect(decision["decision"]?.stringValue == "deny" && decision["rule"]?.stringValue == "hook.block")
        let hookRecord = try #require(try scratch.hookRecords().first)
        #expect(hookRecord["hook"]?["outcome"]?.stringValue == "denied" && hookRecord["call"]?.stringValue == "call_1")
        #expect(try AuditVerifier.verify(path: scratch.auditLog).isIntact)
    }

    @Test func aPreToolHookIsNeverAskedForACallThePolicyDenies() async throws {
        let scratch = try HookScratch()
        let server = try ScriptedServer(responses: [
            ModelReplies.toolCall(
                id: "call_1", name: "write",
                arguments: .object(JSONObject([("path", .string("/etc/pie-hooks-test")), ("content", .string("x"))]))),
            ModelReplies.text("Fine."),
        ])
        defer { server.stop() }
        try scratch.registerModel(server)
        // It would allow everything, and leaves a mark when asked.
        try scratch.write(
            scratch.userHooks,
            "[[hook]]\nevent = \"pre_tool\"\ncommand = \"touch \\\"$PIE_CWD/asked\\\"; exit 0\"\n")
        var agent = try scratch.builder().build(scratch.options())

        _ = await agent.send("write it")
        await agent.lifecycle?.drain()

        let toolResults = try #require(server.requests.last).toolResults
        #expect(toolResults.count == 1 && toolResults[0].hasPrefix("Denied by policy (rule path.outside_roots)"))
        #expect(!scratch.exists("asked"))
        #expect(try scratch.hookRecords().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "/etc/pie-hooks-test"))
    }

    @Test func aPreToolHookThatFailsDeniesByDefaultAndWarnLetsTheCallThrough() async throws {
        let scratch = try HookScratch()
        let server = try ScriptedServer(responses: [
            ModelReplies.toolCall(id: "call_1", name: "bash", arguments: .object(JSONObject([("command", .string("touch one.txt"))]))),
            ModelReplies.text("ok"),
            ModelReplies.toolCall(id: "call_2", name: "bash", arguments: .object(JSONObject([("command", .string("touch two.txt"))]))),
            ModelReplies.text("ok"),
        ])
        defer { server.stop() }
        try scratch.registerModel(server)
        try scratch.write(scratch.userHooks, "[[hook]]\nevent = \"pre_tool\"\ncommand = \"exit 7\"\n")
        var closed = try scratch.builder().build(scratch.options())
        _ = await closed.send("first")
        #expect(!scratch.exists("one.txt"))
        let denial = try #require(server.requests.last?.toolResults.first)
        #expect(denial.contains("failed (exited with status 7)") && denial.contains("on_failure = \"deny\""))

        try scratch.write(scratch.userHooks, "[[hook]]\nevent = \"pre_tool\"\ncommand = \"exit 7\"\non_failure = \"warn\"\n")
        let warnings = Mutex<[String]>([])
        var builder = scratch.builder()
        builder.services.hookWarnings = { text in warnings.withLock { $0.append(text) } }
        var open = try builder.build(scratch.options())
        _ = await open.send("second")
        #expect(scratch.exists("two.txt"))
        #expect(warnings.withLock { $0 }.contains { $0.contains("exit 7") && $0.contains("goes ahead") })
    }

    @Test func aPreToolHookThatHangsIsKilledAndTheCallDenied() async throws {
        let scratch = try HookScratch()
        let server = try ScriptedServer(responses: [
            ModelReplies.toolCall(id: "call_1", name: "bash", arguments: .object(JSONObject([("command", .string("touch ran.txt"))]))),
            ModelReplies.text("ok"),
        ])
        defer { server.stop() }
        try scratch.registerModel(server)
        try scratch.write(scratch.userHooks, "[[hook]]\nevent = \"pre_tool\"\ncommand = \"sleep 4343.5\"\ntimeout_ms = 300\n")
        var agent = try scratch.builder().build(scratch.options())

        _ = await agent.send("go")

        #expect(!scratch.exists("ran.txt"))
        let denial = try #require(server.requests.last?.toolResults.first)
        #expect(denial.contains("killed after timeout_ms 300") && denial.contains("denies the call"), "\(denial)")
        #expect(HookRunnerTests.processes(containing: "4343.5").isEmpty)
    }

    @Test func observingHooksSeeTheRunInOrderOffTheLoop() async throws {
        let scratch = try HookScratch()
        let server = try ScriptedServer(responses: [
            ModelReplies.toolCall(id: "call_1", name: "bash", arguments: .object(JSONObject([("command", .string("echo hi"))]))),
            ModelReplies.text("Done."),
        ])
        defer { server.stop() }
        try scratch.registerModel(server)
        var events = ""
        for event in ["agent_start", "turn_start", "tool_start", "tool_end", "turn_end", "agent_end"] {
            events += "[[hook]]\nevent = \"\(event)\"\ncommand = \"echo \(event) $PIE_TOOL_NAME >> \\\"$PIE_CWD/events.txt\\\"\"\n"
        }
        try scratch.write(scratch.userHooks, events)
        var agent = try scratch.builder().build(scratch.options())

        _ = await agent.send("go")
        try await #require(agent.lifecycle).drain()

        #expect(
            scratch.read("events.txt")
                == """
                agent_start
                turn_start
                tool_start bash
                tool_end bash
                turn_end
                turn_start
                turn_end
                agent_end

                """)
    }

    @Test func theLoopDoesNotWaitForAnObservingHook() async throws {
        let scratch = try HookScratch()
        let server = try ScriptedServer(responses: [ModelReplies.text("Finished.")])
        defer { server.stop() }
        try scratch.registerModel(server)
        // The hook holds until the test releases it (a file), for at most its 60 s timeout.
        try scratch.write(
            scratch.userHooks,
            """
            [[hook]]
            event = "agent_start"
            timeout_ms = 60000
            command = "while [ ! -e \\"$PIE_CWD/release\\" ]; do sleep 0.05; done; touch \\"$PIE_CWD/hook-done\\""
            """)
        var agent = try scratch.builder().build(scratch.options())

        let result = await agent.send("hi")

        // The run finished while its agent_start hook was still waiting.
        #expect(result.outcome == .completed && result.newMessages.last?.assistant?.text == "Finished.")
        #expect(!scratch.exists("hook-done"))
        try scratch.write("release", "")
        await agent.lifecycle?.drain()
        #expect(scratch.exists("hook-done"))
    }

    @Test func aProjectHooksFileRunsNothingBeforeTrustAndRunsAfter() async throws {
        let scratch = try HookScratch()
        let server = try ScriptedServer(responses: (0..<3).map { _ in ModelReplies.text("Hello.") })
        defer { server.stop() }
        try scratch.registerModel(server)
        let text = "[[hook]]\nevent = \"agent_start\"\ncommand = \"touch \\\"$PIE_CWD/started\\\"\"\n"
        try scratch.write(scratch.projectHooks, text)

        let untrusted = Warnings()
        var before = try scratch.builder().build(scratch.options(), onWarning: untrusted.add)
        _ = await before.send("hi")
        await before.lifecycle?.drain()
        #expect(before.lifecycle == nil && !scratch.exists("started"))
        #expect(untrusted.all == [
            "\(scratch.projectHooks) is not trusted, so none of its hooks run; read it, then run `pie hooks trust` in its project to let them run"
        ])

        try ProjectTrust(stateDirectory: scratch.pieDirectory).trust(file: scratch.projectHooks, contents: Array(text.utf8))
        var trusted = try scratch.builder().build(scratch.options())
        _ = await trusted.send("hi")
        await trusted.lifecycle?.drain()
        #expect(scratch.exists("started"))

        // A changed file needs trusting again.
        try scratch.remove("started")
        try scratch.write(scratch.projectHooks, text + "# one more line\n")
        let changed = Warnings()
        var after = try scratch.builder().build(scratch.options(), onWarning: changed.add)
        _ = await after.send("hi")
        await after.lifecycle?.drain()
        #expect(!scratch.exists("started"))
        #expect(changed.all.first?.contains("has changed since it was trusted") == true)
    }

    @Test func anUnattendedRunRefusesAnUntrustedProjectHooksFile() throws {
        let scratch = try HookScratch()
        let server = try ScriptedServer(responses: [])
        defer { server.stop() }
        try scratch.registerModel(server)
        try scratch.write(scratch.projectHooks, "[[hook]]\nevent = \"agent_start\"\ncommand = \"true\"\n")
        #expect {
            try scratch.builder().build(scratch.options(untrusted: .fail))
        } throws: { error in
            guard let error = error as? AgentBuildError, case .hooks(.untrusted) = error else { return false }
            return error.description.contains(scratch.projectHooks) && error.description.contains("pie hooks trust")
        }
    }

    @Test func aHooksFileWithErrorsStopsTheBuildNamingTheLine() throws {
        let scratch = try HookScratch()
        let server = try ScriptedServer(responses: [])
        defer { server.stop() }
        try scratch.registerModel(server)
        try scratch.write(scratch.userHooks, "[[hook]]\nevent = \"pre_tool\"\ncommand = \"exit 2\"\ntool = 5\n")
        #expect {
            try scratch.builder().build(scratch.options())
        } throws: { error in
            guard let error = error as? AgentBuildError, case .hooks(.invalid) = error else { return false }
            return error.description.contains("\(scratch.userHooks):4: hook[1].tool")
        }
    }

    @Test func aFullQueueDropsAndCountsInsteadOfWaiting() async throws {
        let scratch = try HookScratch()
        let gate = try hook("event = \"agent_start\"\ncommand = \"sleep 1\"")
        let warnings = Mutex<[String]>([])
        let lifecycle = LifecycleHooks(
            hooks: [gate], runner: try scratch.runner(), session: testSession, queueCapacity: 1,
            onWarning: { text in warnings.withLock { $0.append(text) } })
        for _ in 0..<5 { lifecycle.fire(lifecycle.payload(.agentStart)) }
        // One runs, one waits; the rest were dropped at once rather than blocking the caller.
        #expect(lifecycle.droppedCount >= 3)
        #expect(warnings.withLock { $0 }.first?.contains("dropped because 1 were already waiting") == true)
        await lifecycle.drain()
        // After the run is over nothing more starts, and that is said rather than lost.
        let before = lifecycle.droppedCount
        for _ in 0..<(100 - before % 100) { lifecycle.fire(lifecycle.payload(.agentStart)) }
        #expect(lifecycle.droppedCount % 100 == 0)
        #expect(warnings.withLock { $0 }.last?.contains("because the run had already ended") == true)
    }
}
