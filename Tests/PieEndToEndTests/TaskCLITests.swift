import Foundation
import PieTestSupport
import Testing

/// The `task` tool through the built `pie`: Ctrl+C reaches a sub-agent whose model request is
/// under way, and `/tree` shows the session a sub-agent's transcript went to.
@Suite("pie agent: task sub-agents")
struct TaskCLITests {
    static let delegate = ChatStream.toolCall(
        id: "call_task", name: "task", json: ["description": "read the notes", "prompt": "What do the notes say?"])

    /// The sub-agent transcripts pie kept (under `$PIE_DIR/subagents/<cwd-hash>/`).
    static func subAgentFiles(_ project: ScratchProject) -> [String] {
        let root = project.pieDirectory + "/subagents"
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".jsonl") }.sorted().map { root + "/" + $0 }
    }

    @Test("Ctrl+C while a sub-agent waits for its model ends both: exit 130, the sub-agent's session kept and linked")
    func interruptReachesTheSubAgent() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let gate = ScriptGate()
        defer { gate.open() }
        let server = try ScriptedServer([
            Script(steps: [.send(Array(Self.delegate.utf8))]),
            Script(steps: [.send(Array(ChatStream.head(["Looking ", "at them"]).utf8)), .wait(gate)]),
        ])

        let running = try RunningPie(server.modelArguments + ["-p", "check the notes"], cwd: project.path)
        #expect(await eventually(seconds: 60) { server.requests.count == 2 && Self.subAgentFiles(project).count == 1 })
        let interrupted = ContinuousClock.now
        running.interrupt()
        let result = await running.finish()
        let elapsed = ContinuousClock.now - interrupted

        #expect(!gate.openedByTest, "pie ended while the sub-agent's answer was still held")
        gate.open()
        #expect(result.status == 130, "stderr: \(result.stderr)")
        // Generous for a loaded machine; without the cancellation the held request ends at 120 s.
        #expect(elapsed < .seconds(60))
        // The sub-agent's transcript is kept apart from the project's sessions, linked to its parent.
        let files = project.sessionFiles()
        let children = Self.subAgentFiles(project)
        try #require(files.count == 1 && children.count == 1)
        let parent = try project.sessionEntries(files[0])
        let child = try project.sessionEntries(children[0])
        #expect(child.first?["parentToolCall"] as? String == "call_task")
        #expect(child.first?["parentSession"] as? String == files[0])
        #expect(parent.compactMap(\.messageRole).first == "user")
        #expect(child.compactMap(\.messageRole) == ["user", "assistant"])
        let partial = try #require(child.last?["message"] as? [String: Any])
        #expect(partial["stopReason"] as? String == "aborted")
    }

    @Test("/tree shows the sub-agent's session under the task call's result")
    func treeShowsTheSubAgentSession() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write("notes.txt", "buy milk\n")
        let server = try ScriptedServer.replying(
            Self.delegate,
            ChatStream.toolCall(id: "call_read", name: "read", json: ["path": "notes.txt"]),
            ChatStream.text("The notes say: buy milk."),
            ChatStream.text("Your notes say to buy milk."))
        let terminal = try await TmuxTerminal(pie: server.modelArguments, cwd: project.path)
        defer { terminal.kill() }

        try #require(await terminal.waitForScreen(containing: "/help for commands"))
        try await terminal.type("what do my notes say?")
        try #require(await terminal.waitForScreen(containing: "Your notes say to buy milk."))
        #expect(project.sessionFiles().count == 1)
        let children = Self.subAgentFiles(project)
        try #require(children.count == 1)
        let childID = try #require(try project.sessionEntries(children[0]).first?["id"] as? String)

        try await terminal.type("/tree")
        #expect(await terminal.waitForScreen(containing: "sub-agent session \(childID) (completed)"))
        try await terminal.type("/quit")
        #expect(await eventually { await !terminal.isRunning })

        // The sub-agent's own transcript, opened by path, says whose call it answers.
        let child = try await TmuxTerminal(pie: server.modelArguments + ["--session", children[0]], cwd: project.path)
        defer { child.kill() }
        try #require(await child.waitForScreen(containing: "/help for commands"))
        try await child.type("/tree")
        #expect(await child.waitForScreen(containing: "sub-agent transcript of task call call_task"))
        try await child.type("/quit")
        #expect(await eventually { await !child.isRunning })
    }
}

/// A sub-agent that may write is asked for at the terminal: y starts it, n refuses it.
@Suite("pie agent: task approval at the terminal")
struct TaskApprovalTests {
    @Test("a task with write asks; y runs the sub-agent, which writes; n refuses and the model is told")
    func approval() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(
                id: "call_yes", name: "task",
                json: ["description": "write it", "prompt": "Write done.txt.", "tools": ["write"]]),
            ChatStream.toolCall(id: "call_w", name: "write", json: ["path": "done.txt", "content": "done\n"]),
            ChatStream.text("Wrote done.txt."),
            ChatStream.text("The sub-agent wrote it."),
            ChatStream.toolCall(
                id: "call_no", name: "task",
                json: ["description": "write more", "prompt": "Write more.txt.", "tools": ["bash"]]),
            ChatStream.text("The sub-agent was refused."))
        let terminal = try await TmuxTerminal(pie: server.modelArguments, cwd: project.path)
        defer { terminal.kill() }

        try #require(await terminal.waitForScreen(containing: "/help for commands"))
        try await terminal.type("write a file through a helper")
        try #require(await terminal.waitForScreen(containing: "Run it? [y/N]"))
        #expect(await terminal.screen().contains("the policy asks before this call (task_tool)"))
        try await terminal.type("y")
        try #require(await terminal.waitForScreen(containing: "The sub-agent wrote it."))
        #expect(FileManager.default.fileExists(atPath: project.path + "/done.txt"))

        try await terminal.type("and another")
        #expect(await terminal.waitForScreen("a second question") { screen in
            screen.components(separatedBy: "Run it? [y/N]").count == 3
        })
        try await terminal.type("n")
        try #require(await terminal.waitForScreen(containing: "The sub-agent was refused."))
        let refusal = try #require(server.requests.last?.toolResults.last)
        #expect(refusal.hasPrefix("Denied by policy (rule task_tool)"))
        #expect(server.requests.count == 6)

        try await terminal.type("/quit")
        #expect(await eventually { await !terminal.isRunning })
    }
}

/// The sub-agents' bounds from the command line.
@Suite("pie agent: task limits")
struct TaskLimitFlagTests {
    @Test("--task-max-turns ends a sub-agent at its limit; 0 is a usage error naming the flag")
    func maxTurns() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write("notes.txt", "buy milk\n")
        let server = try ScriptedServer.replying(
            TaskCLITests.delegate,
            ChatStream.toolCall(id: "call_read", name: "read", json: ["path": "notes.txt"]),
            ChatStream.text("The sub-agent ran out of turns."))

        let result = try await runPie(server.modelArguments + ["-p", "notes?", "--task-max-turns", "1"], cwd: project.path)
        let refused = try await runPie(server.modelArguments + ["-p", "notes?", "--task-max-turns", "0"], cwd: project.path)
        let badTimeout = try await runPie(server.modelArguments + ["-p", "notes?", "--task-timeout-ms", "0"], cwd: project.path)

        #expect(result.status == 0, "stderr: \(result.stderr)")
        try #require(server.requests.count == 3)
        #expect(server.requests[2].bodyText.contains("used all its 1 turns"))
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--task-max-turns must be at least 1 (got 0)"))
        #expect(badTimeout.status == 2)
        #expect(badTimeout.stderr.contains("--task-timeout-ms must be at least 1 (got 0)"))
    }
}

/// `pie policy explain --tool task`: what `task_tool` decides for a delegation, per preset.
@Suite("pie policy explain: task")
struct TaskPolicyExplainTests {
    @Test("read-only delegation is allowed, one with bash is held, hardened refuses, a bad tool is a usage error")
    func explain() async throws {
        let project = try ScratchProject()
        defer { project.remove() }

        let readOnly = try await runPie(["policy", "explain", "--tool", "task"], cwd: project.path)
        let acting = try await runPie(["policy", "explain", "--tool", "task", "--task-tools", "read,bash"], cwd: project.path)
        let hardened = try await runPie(["policy", "explain", "--tool", "task", "--tool-policy-preset", "hardened"], cwd: project.path)
        let unknown = try await runPie(["policy", "explain", "--tool", "task", "--task-tools", "sudo"], cwd: project.path)

        #expect(readOnly.status == 0, "\(readOnly.stdout)\(readOnly.stderr)")
        #expect(acting.status == 1)
        #expect(acting.stdout.contains("task_tool") && acting.stdout.contains("bash"))
        #expect(hardened.status == 1)
        #expect(hardened.stdout.contains("task_tool = \"deny\""))
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("'sudo' is not a tool a sub-agent can have"))
    }
}
