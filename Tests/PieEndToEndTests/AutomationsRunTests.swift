import Foundation
import Glibc
import PieTestSupport
import Testing

/// `pie automations run|runs|logs` and the run's budget, audit tags and SIGTERM handling, as a
/// user runs them, against the scripted model server.
@Suite("pie automations run", .serialized)
struct AutomationsRunTests {
    @Test("run ID: a normal session that --resume-id continues; tool calls audited with automation and run ids")
    func runInForeground() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write("notes.txt", "release notes\n")
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "read", json: ["path": "notes.txt"]),
            ChatStream.text("The notes say: release notes."), ChatStream.text("Resumed."))
        defer { server.stop() }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("check", trigger: "every = \"1h\"")
        let result = try await runPie(["automations", "run", "check", "--json"], cwd: project.path)
        #expect(result.status == 0, "\(result.stderr)")
        let run = try parseJSON(result.stdout)
        #expect(run.string("state") == "succeeded" && run.string("trigger") == "manual" && run.int("id") == 1)
        #expect(run.string("final_message") == "The notes say: release notes.")
        #expect(run.int("tokens") == 30)
        let session = try #require(run.string("session_id"))
        // The tool result reached the model: the read ran under the automation's policy.
        #expect(server.requests[1].toolResults.first?.contains("release notes") == true)
        let audit = try FileManager.default.contentsOfDirectory(atPath: project.pieDirectory + "/audit")
            .map { try String(contentsOfFile: project.pieDirectory + "/audit/" + $0, encoding: .utf8) }.joined()
        #expect(audit.contains("\"automation:check:run:1:session:\(session)\""))
        // `pie --resume-id` opens the run's session and continues it.
        let resumed = try await runPie(
            ["--resume-id", session, "--model", "local:scripted", "-p", "And the date?"], cwd: project.path)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("Resumed."))
        #expect(server.requests[2].texts(role: "user") == ["Run the checks for check.", "And the date?"])

        let listed = try await runPie(["automations", "runs", "check"], cwd: project.path)
        #expect(listed.status == 0 && listed.stdout.contains("check") && listed.stdout.contains("succeeded"))
        let none = try await runPie(["automations", "runs", "other"], cwd: project.path)
        #expect(none.stdout == "no runs of other recorded\n")
        let missing = try await runPie(["automations", "logs", "9"], cwd: project.path)
        #expect(missing.status == 1 && missing.stderr.contains("no run 9"))
        let bad = try await runPie(["automations", "logs", "x"], cwd: project.path)
        #expect(bad.status == 2 && bad.stderr.contains("'x' is not a run number"))
    }

    @Test("max_tokens and max_turns end the run as failed with the limit as its reason")
    func budgets() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let server = try ScriptedServer.replying(
            ChatStream.text("A long answer."),
            ChatStream.toolCall(id: "call_1", name: "read", json: ["path": "missing.txt"]),
            ChatStream.text("unused"))
        defer { server.stop() }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("tokens", trigger: "every = \"1h\"", run: "max_tokens = 10")
        try project.automation("turns", trigger: "every = \"1h\"", run: "max_turns = 1")

        let tokens = try await runPie(["automations", "run", "tokens", "--json"], cwd: project.path)
        #expect(tokens.status == 1)
        let first = try parseJSON(tokens.stdout)
        #expect(first.string("state") == "failed")
        #expect(first.string("reason") == "max_tokens 10 exceeded: the run used 15 tokens")

        let turns = try await runPie(["automations", "run", "turns", "--json"], cwd: project.path)
        #expect(turns.status == 1)
        let second = try parseJSON(turns.stdout)
        #expect(second.string("state") == "failed" && second.string("reason") == "max_turns 1 reached and the model wanted more")
        #expect(server.requests.count == 2)
    }

    @Test("run --once stands for an `at` automation's tick: serve does not run it again at its time")
    func runOnce() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let server = try ScriptedServer(responses: [ChatStream.text("Ran once.")])
        defer { server.stop() }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("release", trigger: "at = \"2099-01-01T09:00:00Z\"")
        let once = try await runPie(["automations", "run", "release", "--once"], cwd: project.path)
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stdout.contains("state: succeeded"))

        // A witness that fires every minute proves serve looked at the clock after the `at` time.
        try project.automation("witness", trigger: "every = \"1m\"")
        try project.setClock(4_070_941_200 - 60)  // 2099-01-01T08:59:00Z
        let serve = try ServeProcess(project)
        #expect(await serve.waitFor("serve_started"))
        try project.setClock(4_070_941_200 + 60)
        #expect(await serve.waitFor("run_finished"))
        #expect(await serve.terminate() == 0)
        #expect(serve.events("run_queued").allSatisfy { $0.string("automation") == "witness" })
        let runs = try await project.runs()
        #expect(runs.filter { $0.string("automation") == "release" }.count == 1)
        #expect(runs.filter { $0.string("automation") == "witness" }.count == 1)
    }

    @Test("SIGTERM: a running run may finish within the grace period; past it, it is interrupted and retried later")
    func sigterm() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let finishing = ScriptGate(), stuck = ScriptGate()
        let server = try ScriptedServer([
            Script(steps: [.wait(finishing), .send(Array(ChatStream.text("Finished in grace.").utf8))]),
            Script(steps: [.wait(stuck), .send(Array(ChatStream.text("too late").utf8))]),
        ])
        defer {
            finishing.open()
            stuck.open()
            server.stop()
        }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("job", trigger: "every = \"1h\"", run: "retries = 1")
        try project.setClock(testEpoch)

        let graceful = try ServeProcess(project, name: "graceful", extra: ["--grace", "5m"])
        #expect(await graceful.waitFor("serve_started"))
        try project.setClock(testEpoch + 3600)
        #expect(await eventually { server.requests.count == 1 })
        graceful.process.signal(SIGTERM)
        #expect(await graceful.waitFor("serve_stopping"))
        finishing.open()
        #expect(await graceful.terminate() == 0)
        #expect(graceful.events("run_finished").first?.string("state") == "succeeded")

        let impatient = try ServeProcess(project, name: "impatient", extra: ["--grace", "1s"])
        #expect(await impatient.waitFor("serve_started"))
        try project.setClock(testEpoch + 7200)
        #expect(await eventually { server.requests.count == 2 })
        #expect(await impatient.terminate() == 0)
        let runs = try await project.runs()
        #expect(runs.map { $0.string("state") } == ["succeeded", "interrupted", "queued"])
        #expect(runs[1].string("reason")?.contains("SIGTERM") == true)
        #expect(runs[2].int("attempt") == 2 && runs[2].int("retry_of") == 2)
    }
}

/// Bad input to the scheduler's commands: exit 2 naming the flag, or 1 naming the store.
@Suite("pie automations serve: bad input")
struct AutomationsServeInputTests {
    @Test("bad flags exit 2 naming the flag and value", arguments: [
        (["--listen", "8787"], "--listen '8787' is not HOST:PORT"),
        (["--grace", "5x"], "--grace '5x' is not a duration"),
        (["--clock-file", "/nonexistent/clock"], "--clock-file /nonexistent/clock"),
        (["--log-format", "yaml"], "yaml"),
    ])
    func badFlags(arguments: [String], message: String) async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPie(["automations", "serve"] + arguments, cwd: project.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("a store from a newer pie is refused, naming the file; runs and logs say the same")
    func newerStore() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let store = project.path + "/store.db"
        let created = try await runPie(["automations", "runs", "--store", store], cwd: project.path)
        #expect(created.status == 0 && created.stdout == "no runs recorded\n")
        // The schema version is the file header's user_version: 4 bytes, big-endian, at offset 60.
        let file = try #require(FileHandle(forUpdatingAtPath: store))
        try file.seek(toOffset: 60)
        try file.write(contentsOf: Data([0, 0, 0, 99]))
        try file.close()
        for command in [["runs"], ["logs", "1"], ["serve"]] {
            let result = try await runPie(["automations"] + command + ["--store", store], cwd: project.path)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("automation store \(store) has schema version 99, newer than this pie's"), "\(result.stderr)")
        }
    }
}

@Suite("pie automations run: timeout")
struct AutomationsTimeoutTests {
    @Test("a run past its timeout ends timed_out with the limit as its reason, and is not retried")
    func timeout() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let gate = ScriptGate()
        let server = try ScriptedServer([Script(steps: [.wait(gate), .send(Array(ChatStream.text("late").utf8))])])
        defer {
            gate.open()
            server.stop()
        }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("slow", trigger: "every = \"1h\"", run: "timeout = \"1s\"\nretries = 3")
        let result = try await runPie(["automations", "run", "slow", "--json"], cwd: project.path)
        #expect(result.status == 1)
        let run = try parseJSON(result.stdout)
        #expect(run.string("state") == "timed_out" && run.string("reason") == "timeout 1s elapsed")
        #expect(try await project.runs().count == 1)
    }
}

@Suite("pie automations run: Ctrl+C")
struct AutomationsRunInterruptTests {
    @Test("Ctrl+C ends a foreground run as interrupted, exit 130, and it is not retried")
    func controlC() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let gate = ScriptGate()
        let server = try ScriptedServer([Script(steps: [.wait(gate), .send(Array(ChatStream.text("late").utf8))])])
        defer {
            gate.open()
            server.stop()
        }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("job", trigger: "every = \"1h\"", run: "retries = 2")
        let process = try HostProcess(
            PieBinary.command(["automations", "run", "job", "--json"]), cwd: project.path,
            environment: PieBinary.environment(cwd: project.path))
        #expect(await eventually { server.requests.count == 1 })
        // pie catches SIGINT from before the run starts: one Ctrl+C is enough.
        process.signal(SIGINT)
        #expect(await eventually(seconds: 30) { process.exitStatus != nil })
        let finished = await process.exited()
        #expect(finished.status == 130)
        let run = try parseJSON(finished.stdoutText)
        #expect(run.string("state") == "interrupted" && run.string("reason") == "interrupted with Ctrl+C")
        #expect(try await project.runs().count == 1)
    }
}
