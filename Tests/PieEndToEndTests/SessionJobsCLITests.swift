import Foundation
import PieTestSupport
import Testing

/// Session jobs in interactive pie on a real terminal (tmux), with time from a clock file
/// (`PIE_CLOCK_FILE`) so no test waits for real minutes: `/cron add` then a fired job runs a
/// turn of the open session; `--resume` re-arms it; the model's `schedule` tool is asked at the
/// terminal and does nothing unless confirmed.
@Suite("pie agent: session cron jobs, triggers and the schedule tool")
struct SessionJobsCLITests {
    /// 2027-01-15T08:00:30Z: 30 s past a five-minute boundary.
    static let start: Int64 = 1_800_000_030

    @Test("/cron add, the tick runs the prompt as a turn, /quit, --resume re-arms it and the next tick runs")
    func cronAddFireResume() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let clock = project.path + "/clock"
        try setClock(clock, Self.start)
        let server = try ScriptedServer.replying(
            ChatStream.text("First cron run done."), ChatStream.text("Second cron run done."))
        let environment = ["PIE_CLOCK_FILE": clock, "TZ": "UTC"]

        var terminal = try await TmuxTerminal(pie: server.modelArguments, cwd: project.path, environment: environment)
        defer { terminal.kill() }
        try #require(await terminal.waitForScreen(containing: "/help for commands"))
        try await terminal.type("/cron add \"*/5 * * * *\" check the build")
        try #require(await terminal.waitForScreen(containing: "added c1: cron \"*/5 * * * *\"  next 2027-01-15T08:05:00+00:00"))
        let session = try #require(project.sessionFiles().last)
        let cronFile = String(session.dropLast(".jsonl".count)) + ".cron.toml"
        let stored = try String(contentsOfFile: cronFile, encoding: .utf8)
        #expect(stored.contains("id = \"c1\"\ncron = \"*/5 * * * *\"\nprompt = \"check the build\"\nenabled = true\norigin = \"user\""))
        #expect(server.requests.isEmpty, "nothing runs before the tick")

        try setClock(clock, Self.start + 270)
        try #require(await terminal.waitForScreen(containing: "First cron run done."))
        #expect(await terminal.screen().contains("[c1 cron \"*/5 * * * *\": tick 2027-01-15T08:05:00+00:00]"))
        #expect(server.requests.count == 1)
        #expect(server.requests.first?.texts(role: "user") == ["check the build"])

        try await terminal.type("/quit")
        #expect(await eventually { await !terminal.isRunning }, "pie did not exit after /quit:\n\(terminal.screenNow())")
        terminal.kill()

        // At 08:14:30: the 08:10 tick passed while pie was closed and is not run (no backfill).
        try setClock(clock, Self.start + 840)
        terminal = try await TmuxTerminal(pie: server.modelArguments + ["--resume"], cwd: project.path, environment: environment)
        try #require(await terminal.waitForScreen(containing: "1 session job (1 enabled)"))
        try await terminal.type("/cron list")
        try #require(await terminal.waitForScreen(containing: "c1  on   cron \"*/5 * * * *\"  next 2027-01-15T08:15:00+00:00  (user)  check the build"))
        #expect(server.requests.count == 1)

        try setClock(clock, Self.start + 870)
        try #require(await terminal.waitForScreen(containing: "Second cron run done."))
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.texts(role: "user") == ["check the build", "check the build"])
        #expect(project.sessionFiles() == [session], "the resumed session continued in its own file")

        try await terminal.type("/cron disable c1")
        try #require(await terminal.waitForScreen(containing: "disabled c1"))
        try await terminal.type("/cron remove c1")
        try #require(await terminal.waitForScreen(containing: "removed c1"))
        #expect(try String(contentsOfFile: cronFile, encoding: .utf8).contains("[[job]]") == false)
        try await terminal.type("/quit")
        #expect(await eventually { await !terminal.isRunning }, "pie did not exit after /quit:\n\(terminal.screenNow())")
    }

    @Test("the schedule tool asks at the terminal: y writes the job, n and an invalid call write nothing")
    func scheduleToolAsks() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let clock = project.path + "/clock"
        try setClock(clock, Self.start)
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "schedule", json: ["cron": "0 9 * * 1-5", "prompt": "summarise new issues"]),
            ChatStream.text("Scheduled the summary."),
            ChatStream.toolCall(id: "call_2", name: "schedule", json: ["every": "1h", "prompt": "check the queue"]),
            ChatStream.text("Did not schedule it."),
            ChatStream.toolCall(id: "call_3", name: "schedule", json: ["at": "2020-01-01T09:00:00Z", "prompt": "too late"]),
            ChatStream.text("That time has passed."))
        let terminal = try await TmuxTerminal(pie: server.modelArguments, cwd: project.path, environment: ["PIE_CLOCK_FILE": clock, "TZ": "UTC"])
        defer { terminal.kill() }
        try #require(await terminal.waitForScreen(containing: "/help for commands"))

        try await terminal.type("every weekday at 9 summarise new issues")
        try #require(await terminal.waitForScreen(containing: "Run it? [y/N]"))
        #expect(await terminal.screen().contains("the policy asks before this call (schedule_tool): scheduling cron \"0 9 * * 1-5\": prompt \"summarise new issues\""))
        try await terminal.type("y")
        try #require(await terminal.waitForScreen(containing: "Scheduled the summary."))
        let session = try #require(project.sessionFiles().last)
        let cronFile = String(session.dropLast(".jsonl".count)) + ".cron.toml"
        let stored = try String(contentsOfFile: cronFile, encoding: .utf8)
        #expect(stored.contains("cron = \"0 9 * * 1-5\"\nprompt = \"summarise new issues\"\nenabled = true\norigin = \"model\""))
        #expect(server.requests[1].toolResults.last?.hasPrefix("Scheduled c1: cron \"0 9 * * 1-5\".") == true)

        try await terminal.type("check the queue hourly")
        #expect(await terminal.waitForScreen("a second question") { $0.components(separatedBy: "Run it? [y/N]").count == 3 })
        try await terminal.type("n")
        try #require(await terminal.waitForScreen(containing: "Did not schedule it."))
        let refusal = try #require(server.requests[3].toolResults.last)
        #expect(refusal.hasPrefix("Denied by policy (rule schedule_tool): scheduling every 1h: prompt \"check the queue\""))
        #expect(refusal.hasSuffix("not approved: refused at the terminal"))
        let triggersFile = String(session.dropLast(".jsonl".count)) + ".triggers.json"
        #expect(!FileManager.default.fileExists(atPath: triggersFile), "a refused call writes nothing")

        try await terminal.type("remind me in 2020")
        try #require(await terminal.waitForScreen(containing: "That time has passed."))
        #expect(await terminal.screen().components(separatedBy: "Run it? [y/N]").count == 3, "an invalid call is not put to the user")
        let invalid = try #require(server.requests[5].toolResults.last)
        #expect(invalid.hasPrefix("Invalid arguments for schedule: at \"2020-01-01T09:00:00Z\" is in the past (it is now 2027-01-15T08:00:30+00:00)"))

        try await terminal.type("/cron list")
        try #require(await terminal.waitForScreen(containing: "c1  on   cron \"0 9 * * 1-5\"  next 2027-01-15T09:00:00+00:00  (model)  summarise new issues"))
        try await terminal.type("/quit")
        #expect(await eventually { await !terminal.isRunning }, "pie did not exit after /quit:\n\(terminal.screenNow())")
    }

    @Test("a malformed .cron.toml on --resume: a warning with file:line, the session works, the file is kept")
    func malformedOnResume() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let server = try ScriptedServer.replying(ChatStream.text("Hello."), ChatStream.text("Still here."))
        let first = try await runPie(server.modelArguments + ["-p", "hi"], cwd: project.path)
        try #require(first.status == 0, "\(first.stderr)")
        let session = try #require(project.sessionFiles().last)
        let cronFile = String(session.dropLast(".jsonl".count)) + ".cron.toml"
        let broken = "[[job]]\nid = \"c1\"\ncron = \"0 25 * * *\"\nprompt = \"nightly\"\n"
        try broken.write(toFile: cronFile, atomically: true, encoding: .utf8)
        let triggersFile = String(session.dropLast(".jsonl".count)) + ".triggers.json"
        let brokenJSON = "{\"version\": 1,\n\"rules\": [\n{\"id\": \"t1\" \"trigger\": {}}\n]}\n"
        try brokenJSON.write(toFile: triggersFile, atomically: true, encoding: .utf8)

        let terminal = try await TmuxTerminal(pie: server.modelArguments + ["--resume"], cwd: project.path, environment: ["TZ": "UTC"])
        defer { terminal.kill() }
        try #require(await terminal.waitForScreen(containing: "\(cronFile):3: job.cron: cron \"0 25 * * *\""))
        #expect(await terminal.waitForScreen(containing: "\(triggersFile):3: is not valid JSON"))
        try await terminal.type("/cron add \"@daily\" another")
        try #require(await terminal.waitForScreen(containing: "pie does not rewrite a file it cannot read fully"))
        try await terminal.type("still there?")
        try #require(await terminal.waitForScreen(containing: "Still here."))
        #expect(try String(contentsOfFile: cronFile, encoding: .utf8) == broken, "the file is never lost or rewritten")
        #expect(try String(contentsOfFile: triggersFile, encoding: .utf8) == brokenJSON)
        try await terminal.type("/quit")
        #expect(await eventually { await !terminal.isRunning }, "pie did not exit after /quit:\n\(terminal.screenNow())")
    }

    @Test("ticks during a running turn wait for it: the job runs next, once, and says how many ticks it skipped")
    func tickDuringATurn() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let clock = project.path + "/clock"
        try setClock(clock, Self.start)
        let gate = ScriptGate()
        defer { gate.open() }
        let server = try ScriptedServer([
            Script(steps: [.send(Array(ChatStream.head(["Working ", "slowly"]).utf8)), .wait(gate), .send(Array(ChatStream.tail(finish: "stop", pieces: [" and done."]).utf8))]),
            Script(steps: [.send(Array(ChatStream.text("Minutely job ran.").utf8))]),
        ])
        let terminal = try await TmuxTerminal(pie: server.modelArguments, cwd: project.path, environment: ["PIE_CLOCK_FILE": clock, "TZ": "UTC"])
        defer { terminal.kill() }
        try #require(await terminal.waitForScreen(containing: "/help for commands"))
        try await terminal.type("/cron add \"* * * * *\" minutely check")
        try #require(await terminal.waitForScreen(containing: "added c1"))
        try await terminal.type("a long task")
        try #require(await terminal.waitForScreen(containing: "Working slowly"))
        // Three ticks (08:01, 08:02, 08:03) pass while the turn runs: the job waits once and the
        // later two are skipped, each reported as it happens (which is what the test waits for).
        try setClock(clock, Self.start + 30)
        try #require(await terminal.waitForScreen(containing: "c1 fired (tick 2027-01-15T08:01:00+00:00); it runs when the session is free"))
        try setClock(clock, Self.start + 90)
        try #require(await terminal.waitForScreen(containing: "c1: 2027-01-15T08:02:00+00:00 skipped, its run for tick 2027-01-15T08:01:00+00:00 has not started yet"))
        try setClock(clock, Self.start + 150)
        try #require(await terminal.waitForScreen(containing: "c1: 2027-01-15T08:03:00+00:00 skipped"))
        #expect(server.requests.count == 1, "nothing starts while the turn runs")
        gate.open()
        try #require(await terminal.waitForScreen(containing: "Minutely job ran."))
        #expect(await terminal.screen().contains("[c1 cron \"* * * * *\": tick 2027-01-15T08:01:00+00:00] (2 later ticks skipped while it waited)"))
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.texts(role: "user") == ["a long task", "minutely check"])
        try await terminal.type("/quit")
        #expect(await eventually { await !terminal.isRunning }, "pie did not exit after /quit:\n\(terminal.screenNow())")
    }

    @Test("a file trigger the model schedules (confirmed) runs its prompt once when the file appears; /triggers lists and removes it")
    func fileTrigger() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let marker = project.path + "/build.done"
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(
                id: "call_1", name: "schedule", json: ["file": marker, "on": "created", "once": true, "prompt": "run the build checks"]),
            ChatStream.text("Will do when it appears."),
            ChatStream.text("Build checks done."))
        let terminal = try await TmuxTerminal(pie: server.modelArguments, cwd: project.path, environment: ["TZ": "UTC"])
        defer { terminal.kill() }
        try #require(await terminal.waitForScreen(containing: "/help for commands"))
        try await terminal.type("when build.done appears run the build checks")
        try #require(await terminal.waitForScreen(containing: "Run it? [y/N]"))
        try await terminal.type("y")
        try #require(await terminal.waitForScreen(containing: "Will do when it appears."))
        try await terminal.type("/triggers")
        try #require(await terminal.waitForScreen(containing: "t1  on   file \(marker) created  once  (model)  run the build checks"))
        let session = try #require(project.sessionFiles().last)
        let triggersFile = String(session.dropLast(".jsonl".count)) + ".triggers.json"
        #expect(try String(contentsOfFile: triggersFile, encoding: .utf8).contains("\"fire_once\": true"))

        try "done\n".write(toFile: marker, atomically: false, encoding: .utf8)
        try #require(await terminal.waitForScreen(containing: "Build checks done."))
        #expect(await terminal.screen().contains("[t1 file \(marker) created: \(marker) created]"))
        #expect(server.requests.last?.texts(role: "user").last == "run the build checks")
        try await terminal.type("/triggers")
        try #require(await terminal.waitForScreen(containing: "t1  off  file \(marker) created  fired "))
        try await terminal.type("/triggers remove t1")
        try #require(await terminal.waitForScreen(containing: "removed t1"))
        #expect(try String(contentsOfFile: triggersFile, encoding: .utf8).contains("\"rules\": []"))
        #expect(server.requests.count == 3)
        try await terminal.type("/quit")
        #expect(await eventually { await !terminal.isRunning }, "pie did not exit after /quit:\n\(terminal.screenNow())")
    }

    @Test("a command probe the model schedules runs in the sandbox on the session's clock and fires when it starts succeeding")
    func commandProbe() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let clock = project.path + "/clock"
        try setClock(clock, Self.start)
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "schedule", json: ["command": "test -f ready", "every": "1m", "prompt": "deploy is ready"]),
            ChatStream.text("I will watch for it."),
            ChatStream.text("Handled the ready deploy."))
        let terminal = try await TmuxTerminal(pie: server.modelArguments, cwd: project.path, environment: ["PIE_CLOCK_FILE": clock, "TZ": "UTC"])
        defer { terminal.kill() }
        try #require(await terminal.waitForScreen(containing: "/help for commands"))
        try await terminal.type("tell me when ready appears")
        try #require(await terminal.waitForScreen(containing: "Run it? [y/N]"))
        try await terminal.type("y")
        try #require(await terminal.waitForScreen(containing: "I will watch for it."))
        let audit = project.pieDirectory + "/audit"
        // The first probe runs at once and fails (no file): nothing fires.
        #expect(await eventually { self.probeRecords(audit) >= 1 }, "the first probe did not run")
        #expect(server.requests.count == 2)
        try "".write(toFile: project.path + "/ready", atomically: true, encoding: .utf8)
        try setClock(clock, Self.start + 60)
        try #require(await terminal.waitForScreen(containing: "Handled the ready deploy."))
        #expect(await terminal.screen().contains("[t1 command \"test -f ready\" every 1m on success: probe exited 0]"))
        #expect(server.requests.last?.texts(role: "user").last == "deploy is ready")
        try await terminal.type("/quit")
        #expect(await eventually { await !terminal.isRunning }, "pie did not exit after /quit:\n\(terminal.screenNow())")
    }

    @Test("a tool cannot write the jobs files beside a --session file in the project: they are pie's state")
    func jobsFilesAreState() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let job = "[[job]]\nid = \"c1\"\ncron = \"* * * * *\"\nprompt = \"run me unconfirmed\"\n"
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "write", json: ["path": "chat.cron.toml", "content": job]),
            ChatStream.toolCall(id: "call_2", name: "bash", json: ["command": "echo '{}' > chat.triggers.json"]),
            ChatStream.text("Tried."))
        let result = try await runPie(server.modelArguments + ["--session", "chat.jsonl", "-p", "schedule yourself"], cwd: project.path)
        #expect(result.status == 0, "\(result.stderr)")
        let results = server.requests.last?.toolResults ?? []
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0.hasPrefix("Denied by policy") }, "\(results)")
        #expect(!FileManager.default.fileExists(atPath: project.path + "/chat.cron.toml"))
        #expect(!FileManager.default.fileExists(atPath: project.path + "/chat.triggers.json"))
    }

    @Test("headless runs never schedule: pie tool has nobody to ask and denies, hardened denies first, pie -p does not offer the tool")
    func headlessDenies() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let arguments = #"{"cron":"@daily","prompt":"nightly"}"#
        let asked = try await runPie(["tool", "schedule", "--args", arguments], cwd: project.path)
        #expect(asked.status == 1)
        #expect(asked.stdout.hasPrefix("Denied by policy (rule schedule_tool): scheduling cron \"@daily\": prompt \"nightly\""))
        #expect(asked.stdout.contains("not approved: pie tool has nobody to ask, so the call is denied"))
        let hardened = try await runPie(["tool", "schedule", "--args", arguments, "--tool-policy-preset", "hardened"], cwd: project.path)
        #expect(hardened.status == 1)
        #expect(hardened.stdout.hasPrefix("Denied by policy (rule schedule_tool): the schedule tool is off in this policy"))
        let audit = try String(contentsOfFile: try #require(FileManager.default.contentsOfDirectory(atPath: project.pieDirectory + "/audit").first.map { project.pieDirectory + "/audit/" + $0 }), encoding: .utf8)
        let records = audit.split(separator: "\n").map(String.init)
        #expect(records.filter { $0.contains("\"tool\":\"schedule\"") && $0.contains("\"event\":\"decision\"") }.count == 2)
        #expect(records.contains { $0.contains("\"event\":\"approval\"") && $0.contains("\"approver\":\"nobody\"") })

        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "schedule", json: ["cron": "@daily", "prompt": "nightly"]), ChatStream.text("Could not."))
        let oneShot = try await runPie(server.modelArguments + ["-p", "schedule a nightly run"], cwd: project.path)
        #expect(oneShot.status == 0, "\(oneShot.stderr)")
        #expect(server.requests.last?.toolResults == ["Tool schedule not found"])
        #expect(project.sessionFiles().allSatisfy { !FileManager.default.fileExists(atPath: String($0.dropLast(".jsonl".count)) + ".cron.toml") })
    }

    @Test("bad /cron and /triggers input gets an error naming the problem, and changes nothing")
    func badInput() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let server = try ScriptedServer.replying()
        let terminal = try await TmuxTerminal(pie: server.modelArguments, cwd: project.path, environment: ["TZ": "UTC"])
        defer { terminal.kill() }
        try #require(await terminal.waitForScreen(containing: "/help for commands"))
        let cases: [(String, String)] = [
            ("/cron add 0 9 * * * no quotes", "/cron add: put the expression in double quotes"),
            ("/cron add \"0 9 * * *", "/cron add: the expression's closing quote is missing"),
            ("/cron add \"0 9 * * *\"", "/cron add: the prompt is missing"),
            ("/cron add \"0 9 * 13 *\" yearly", "cron \"0 9 * 13 *\": "),
            ("/cron add @fortnightly p", "'@fortnightly' is not a cron macro"),
            ("/cron remove c9", "no job 'c9' in this session"),
            ("/cron remove t1", "'t1' is not a cron job id"),
            ("/cron explode", "/cron: unknown subcommand 'explode'"),
            ("/triggers remove", "usage: /triggers remove <id>"),
            ("/crn list", "unknown command /crn — did you mean /cron?"),
        ]
        for (input, error) in cases {
            try await terminal.type(input)
            #expect(await terminal.waitForScreen(containing: error), "for \(input)")
        }
        try await terminal.type("/cron list")
        try #require(await terminal.waitForScreen(containing: "no cron jobs; add one with /cron add"))
        let session = project.sessionFiles().last.map { String($0.dropLast(".jsonl".count)) + ".cron.toml" }
        #expect(session.map { !FileManager.default.fileExists(atPath: $0) } ?? true, "nothing was written")
        try await terminal.type("/quit")
        #expect(await eventually { await !terminal.isRunning }, "pie did not exit after /quit:\n\(terminal.screenNow())")
    }

    @Test("--resume re-arms the session's triggers: an every tick and a file change each run their prompt")
    func resumeRearmsTriggers() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let clock = project.path + "/clock"
        try setClock(clock, Self.start)
        let server = try ScriptedServer.replying(
            ChatStream.text("Hello."), ChatStream.text("Hourly done."), ChatStream.text("Flag handled."))
        let first = try await runPie(server.modelArguments + ["-p", "hi"], cwd: project.path, environment: ["PIE_CLOCK_FILE": clock])
        try #require(first.status == 0, "\(first.stderr)")
        let session = try #require(project.sessionFiles().last)
        let flag = project.path + "/flag"
        let rules = """
            {"version": 1, "rules": [
              {"id": "t1", "trigger": {"every": "1h"}, "prompt": "hourly check", "enabled": true},
              {"id": "t2", "trigger": {"file": {"path": "\(flag)", "on": "created"}}, "prompt": "handle the flag", "enabled": true}
            ]}
            """
        try rules.write(toFile: String(session.dropLast(".jsonl".count)) + ".triggers.json", atomically: true, encoding: .utf8)

        let terminal = try await TmuxTerminal(pie: server.modelArguments + ["--resume"], cwd: project.path, environment: ["PIE_CLOCK_FILE": clock, "TZ": "UTC"])
        defer { terminal.kill() }
        try #require(await terminal.waitForScreen(containing: "2 session jobs (2 enabled)"))
        try await terminal.type("/triggers")
        try #require(await terminal.waitForScreen(containing: "t1  on   every 1h  next 2027-01-15T09:00:30+00:00  (user)  hourly check"))
        #expect(await terminal.screen().contains("t2  on   file \(flag) created  (user)  handle the flag"))
        try setClock(clock, Self.start + 3600)
        try #require(await terminal.waitForScreen(containing: "Hourly done."))
        try "x".write(toFile: flag, atomically: false, encoding: .utf8)
        try #require(await terminal.waitForScreen(containing: "Flag handled."))
        #expect(server.requests.last?.texts(role: "user") == ["hi", "hourly check", "handle the flag"])
        try await terminal.type("/quit")
        #expect(await eventually { await !terminal.isRunning }, "pie did not exit after /quit:\n\(terminal.screenNow())")
    }

    /// Completion records of tool `probe` in the audit logs under `directory`.
    private func probeRecords(_ directory: String) -> Int {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.reduce(0) { count, file in
            let text = (try? String(contentsOfFile: directory + "/" + file, encoding: .utf8)) ?? ""
            return count + text.split(separator: "\n").filter { $0.contains("\"tool\":\"probe\"") && $0.contains("\"event\":\"completion\"") }.count
        }
    }

    private func setClock(_ path: String, _ seconds: Int64) throws {
        try "\(seconds)\n".write(toFile: path, atomically: true, encoding: .utf8)
    }
}
