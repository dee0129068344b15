import Foundation
import PieTestSupport
import Testing

/// `pie hooks list|test|trust` and a hook in `pie -p`, through the built binary.
@Suite("pie hooks")
struct HooksCLITests {
    static let hooks = """
        [[hook]]
        event = "agent_start"
        command = "echo \\"$PIE_HOOK_EVENT $PIE_SESSION_ID\\" > \\"$PIE_CWD/started.txt\\""

        [[hook]]
        event = "pre_tool"
        tool = "bash"
        command = "echo 'bash is off today' >&2; exit 2"

        [[hook]]
        event = "agent_end"
        webhook = "https://hooks.slack.com/services/${SLACK_WEBHOOK_PATH}"
        """

    @Test("a project hooks file lists as untrusted, runs nothing before `pie hooks trust`, runs after, and again needs trust once changed")
    func trustCycle() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".pie/hooks.toml", Self.hooks)
        let file = project.path + "/.pie/hooks.toml"

        let listed = try await runPie(["hooks", "list"], cwd: project.path)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("user: \(project.pieDirectory)/hooks.toml (none)"))
        #expect(listed.stdout.contains("project: \(file) (not trusted: no hook runs until `pie hooks trust`)"))
        #expect(listed.stdout.contains("[2] line 5: pre_tool tool=bash command: echo 'bash is off today' >&2; exit 2"))
        // Only the host of a webhook is shown.
        #expect(listed.stdout.contains("[3] line 10: agent_end webhook: hooks.slack.com ("))

        let untested = try await runPie(["hooks", "test", "agent_start"], cwd: project.path)
        #expect(untested.status == 0)
        #expect(untested.stderr.contains("\(file) is not trusted, so none of its hooks run"))
        #expect(untested.stderr.contains("pie hooks trust"))
        #expect(!FileManager.default.fileExists(atPath: project.path + "/started.txt"))

        let trusted = try await runPie(["hooks", "trust"], cwd: project.path)
        #expect(trusted.status == 0, "\(trusted.stderr)")
        #expect(trusted.stdout.contains("[1] line 1: agent_start command:"))
        #expect(trusted.stdout.contains("trusted \(file)"))

        let tested = try await runPie(["hooks", "test", "agent_start"], cwd: project.path)
        #expect(tested.status == 0, "\(tested.stderr)")
        #expect(tested.stdout.contains("agent_start hook \(file):1 (hook 1): ok (exit 0)"))
        let started = try String(contentsOfFile: project.path + "/started.txt", encoding: .utf8)
        #expect(started.hasPrefix("agent_start hooks-test-"))

        let gate = try await runPie(["hooks", "test", "pre_tool"], cwd: project.path)
        #expect(gate.status == 0 && gate.stdout.contains("pre_tool hook \(file):5 (hook 2): denied (exit 2)"))
        #expect(gate.stdout.contains("bash is off today"))
        let otherTool = try await runPie(["hooks", "test", "pre_tool", "--tool", "read"], cwd: project.path)
        #expect(otherTool.status == 0 && otherTool.stderr.contains("no hook runs for pre_tool on read"))

        // Unset ${SLACK_WEBHOOK_PATH}: the run fails, says why, and exits 1.
        let webhook = try await runPie(["hooks", "test", "agent_end"], cwd: project.path)
        #expect(webhook.status == 1 && webhook.stdout.contains("SLACK_WEBHOOK_PATH is not set"))

        let json = try await runPie(["hooks", "list", "--json"], cwd: project.path)
        let files = try #require(try parseJSON(json.stdout)["files"] as? [[String: Any]])
        #expect(files.count == 2 && files[1]["status"] as? String == "trusted, active")
        #expect((files[1]["hooks"] as? [[String: Any]])?.map { $0["event"] as? String } == ["agent_start", "pre_tool", "agent_end"])

        try project.write(".pie/hooks.toml", Self.hooks + "\n# edited\n")
        try FileManager.default.removeItem(atPath: project.path + "/started.txt")
        let changed = try await runPie(["hooks", "test", "agent_start"], cwd: project.path)
        #expect(changed.stderr.contains("\(file) has changed since it was trusted"))
        #expect(!FileManager.default.fileExists(atPath: project.path + "/started.txt"))
        let relisted = try await runPie(["hooks", "list"], cwd: project.path)
        #expect(relisted.stdout.contains("(changed since trusted: no hook runs until `pie hooks trust`)"))

        let audit = try FileManager.default.contentsOfDirectory(atPath: project.pieDirectory + "/audit")
        let log = project.pieDirectory + "/audit/" + (try #require(audit.first))
        let verified = try await runPie(["audit", "verify", log], cwd: project.path)
        #expect(verified.status == 0 && verified.stdout.contains("intact"), "\(verified.stdout)\(verified.stderr)")
        let shown = try await runPie(["audit", "show", log], cwd: project.path)
        #expect(shown.stdout.contains("hook    ALLOW  hook.agent_start"), "\(shown.stdout)")
        #expect(shown.stdout.contains("ok \(file) hook 1: echo"))
        #expect(shown.stdout.contains("denied \(file) hook 2: echo 'bash is off today' >&2; exit 2  — bash is off today"))
        // The URL never expanded, so no host is named; the reason says why.
        #expect(shown.stdout.contains("failed \(file) hook 3:   — the environment variable SLACK_WEBHOOK_PATH is not set"))
    }

    @Test("a hooks file with errors: list names file:line and exits 1; trust refuses it; a run does not start")
    func badFile() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".pie/hooks.toml", "[[hook]]\nevent = \"pre_tool\"\ncomand = \"exit 2\"\n")
        let file = project.path + "/.pie/hooks.toml"

        let listed = try await runPie(["hooks", "list"], cwd: project.path)
        #expect(listed.status == 1)
        #expect(listed.stdout.contains("error: \(file):3: hook[1].comand: unknown key 'comand' (did you mean 'command'?)"))
        let trusted = try await runPie(["hooks", "trust"], cwd: project.path)
        #expect(trusted.status == 1 && trusted.stderr.contains("not trusted: the file has errors"))
        let unknown = try await runPie(["hooks", "test", "pre_tol"], cwd: project.path)
        #expect(unknown.status == 2 && unknown.stderr.contains("did you mean 'pre_tool'?"))
        let bare = try ScratchProject()
        defer { bare.remove() }
        let nothing = try await runPie(["hooks", "trust"], cwd: bare.path)
        #expect(nothing.status == 1 && nothing.stderr.contains("\(bare.path)/.pie/hooks.toml does not exist"))

        // The user's own file needs no trust, so its errors stop a run.
        try project.write(".home/.pie/hooks.toml", "[[hook]]\nevent = \"agent_start\"\n")
        let run = try await runPie(["-p", "hi", "--provider", "llamacpp", "--model", "m", "--base-url", "http://127.0.0.1:9/v1"], cwd: project.path)
        #expect(run.status == 2 && run.stderr.contains("\(project.pieDirectory)/hooks.toml:1: hook[1]: has neither command nor webhook"))
    }

    @Test("pie -p: a pre_tool hook denies the model's bash call and the model reads the hook's stderr")
    func preToolInOneShot() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".home/.pie/hooks.toml", "[[hook]]\nevent = \"pre_tool\"\ntool = \"bash\"\ncommand = \"echo 'ask ops first' >&2; exit 2\"\n")
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "bash", json: ["command": "touch ran.txt"]), ChatStream.text("Okay."))
        defer { server.stop() }

        let result = try await runPie(["-p", "do it"] + server.modelArguments, cwd: project.path)

        #expect(result.status == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.path + "/ran.txt"))
        #expect(server.requests.last?.toolResults == ["Denied by pre_tool hook: ask ops first"])
    }

    @Test("pie -p: an untrusted project file is named once and runs nothing; once trusted, agent_end runs before pie exits")
    func oneShotTrust() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let hooks = """
            [[hook]]
            event = "agent_start"
            command = "echo start >> \\"$PIE_CWD/events.txt\\""
            [[hook]]
            event = "agent_end"
            command = "sleep 0.3; echo end >> \\"$PIE_CWD/events.txt\\""
            """
        try project.write(".pie/hooks.toml", hooks)
        let server = try ScriptedServer.replying(ChatStream.text("One."), ChatStream.text("Two."))
        defer { server.stop() }
        let file = project.path + "/.pie/hooks.toml"

        let before = try await runPie(["-p", "hi"] + server.modelArguments, cwd: project.path)
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stderr.components(separatedBy: "\(file) is not trusted").count == 2, "\(before.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.path + "/events.txt"))

        #expect(try await runPie(["hooks", "trust"], cwd: project.path).status == 0)
        let after = try await runPie(["-p", "hi"] + server.modelArguments, cwd: project.path)
        #expect(after.status == 0 && !after.stderr.contains("not trusted"), "\(after.stderr)")
        // agent_end ran (after a pause) before pie exited: pie waits for its queued hooks.
        #expect(try String(contentsOfFile: project.path + "/events.txt", encoding: .utf8) == "start\nend\n")
    }

    @Test("interactive pie names an untrusted project hooks file once and runs none of it; trusted, its hooks run")
    func interactiveTrust() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(
            ".pie/hooks.toml",
            "[[hook]]\nevent = \"agent_start\"\ncommand = \"echo start >> \\\"$PIE_CWD/events.txt\\\"\"\n")
        let server = try ScriptedServer.replying(ChatStream.text("First answer."), ChatStream.text("Second answer."))
        defer { server.stop() }
        let file = project.path + "/.pie/hooks.toml"

        let untrusted = try await TmuxTerminal(pie: server.modelArguments, cwd: project.path)
        defer { untrusted.kill() }
        try #require(await untrusted.waitForScreen(containing: "/help for commands"))
        try await untrusted.type("hello")
        try #require(await untrusted.waitForScreen(containing: "First answer."))
        let screen = await untrusted.screen().replacingOccurrences(of: "\n", with: "")
        #expect(screen.components(separatedBy: "is not trusted").count == 2, "\(screen)")
        #expect(screen.contains("pie hooks trust"))
        try await untrusted.type("/quit")
        #expect(await eventually { await !untrusted.isRunning })
        #expect(!FileManager.default.fileExists(atPath: project.path + "/events.txt"))

        #expect(try await runPie(["hooks", "trust"], cwd: project.path).status == 0)
        let trusted = try await TmuxTerminal(pie: server.modelArguments, cwd: project.path)
        defer { trusted.kill() }
        try #require(await trusted.waitForScreen(containing: "/help for commands"))
        #expect(await !trusted.screen().contains("not trusted"))
        try await trusted.type("hello again")
        try #require(await trusted.waitForScreen(containing: "Second answer."))
        try await trusted.type("/quit")
        #expect(await eventually { await !trusted.isRunning })
        #expect(try String(contentsOfFile: project.path + "/events.txt", encoding: .utf8) == "start\n", "\(file)")
    }
}
