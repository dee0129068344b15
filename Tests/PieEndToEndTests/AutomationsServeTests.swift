import Foundation
import Glibc
import PieTestSupport
import Testing

/// `pie automations serve` as real processes against the scripted model server, with time
/// driven through `--clock-file`: crashes, restarts, two schedulers on one store, overlap.
@Suite("pie automations serve", .serialized)
struct AutomationsServeTests {
    @Test("kill -9 mid-run: after a restart the run is interrupted and retried once; no tick lost or run twice")
    func killedMidRun() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let gate = ScriptGate()
        let server = try ScriptedServer([
            Script(steps: [.wait(gate), .send(Array(ChatStream.text("never delivered").utf8))]),
            Script(steps: [.send(Array(ChatStream.text("All checks pass.").utf8))]),
        ])
        defer {
            gate.open()
            server.stop()
        }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("nightly", trigger: "every = \"1h\"", run: "retries = 1\nbackoff = \"30s\"")
        try project.setClock(testEpoch)

        let first = try ServeProcess(project, name: "first")
        #expect(await first.waitFor("serve_started"))
        try project.setClock(testEpoch + 3600)
        #expect(await first.waitFor("run_started"))
        #expect(await eventually { server.requests.count == 1 })
        await first.kill9()

        let second = try ServeProcess(project, name: "second")
        #expect(await second.waitFor("run_interrupted"))
        let interrupted = try #require(second.events("run_interrupted").first)
        #expect(interrupted.string("automation") == "nightly" && interrupted.int("run") == 1 && interrupted.int("retry") == 2)
        // The retry waits out its backoff (30 s from the restart) on the test clock.
        try project.setClock(testEpoch + 3600 + 29)
        try project.setClock(testEpoch + 3600 + 31)
        #expect(await second.waitFor("run_finished"))
        #expect(await second.terminate() == 0)

        let runs = try await project.runs()
        #expect(runs.count == 2)
        #expect(runs.map { $0.string("state") } == ["interrupted", "succeeded"])
        #expect(runs.map { $0.int("attempt") } == [1, 2])
        #expect(runs[1].int("retry_of") == 1)
        #expect(runs[0].string("reason")?.contains("stopped (killed or crashed)") == true)
        // One tick, two attempts of it: nothing lost, nothing run twice.
        #expect(Set(runs.map { $0.string("tick") }).count == 1)
        #expect(runs[0].string("tick") == "2026-01-01T01:00:00+00:00")
        #expect(server.requests.count == 2)
        #expect(runs[1].string("final_message") == "All checks pass." && runs[1].int("tokens") == 15)
        // The run is a normal session: `logs` names it and the file exists.
        let logs = try await runPie(["automations", "logs", "2"], cwd: project.path)
        #expect(logs.status == 0)
        let session = try #require(runs[1].string("session_id"))
        #expect(logs.stdout.contains("pie --resume-id \(session)") && logs.stdout.contains("All checks pass."))
        #expect(FileManager.default.fileExists(atPath: try #require(runs[1].string("session_path"))))
        // The prompt is the automation's own; the model got it as the user message.
        #expect(server.requests[1].texts(role: "user") == ["Run the checks for nightly."])
    }

    @Test("two serve processes on one store run each due tick once; a bad file never stops the others")
    func twoSchedulers() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let server = try ScriptedServer(responses: (0..<6).map { ChatStream.text("Done \($0).") })
        defer { server.stop() }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("minutely", trigger: "cron = \"* * * * *\"\ntimezone = \"UTC\"", run: "overlap = \"queue\"")
        try project.write(".pie/automations/broken.toml", "prompt = \"p\"\nmodel = \"local:scripted\"\n[trigger]\ncron = \"61 * * * *\"\n")
        try project.setClock(testEpoch)

        let a = try ServeProcess(project, name: "a"), b = try ServeProcess(project, name: "b")
        #expect(await a.waitFor("serve_started"))
        #expect(await b.waitFor("serve_started"))
        for minute in 1...3 {
            try project.setClock(testEpoch + Int64(minute) * 60)
            #expect(await eventually { a.events("run_finished").count + b.events("run_finished").count == minute })
        }
        #expect(await a.terminate() == 0)
        #expect(await b.terminate() == 0)

        let runs = try await project.runs()
        #expect(runs.count == 3)
        #expect(runs.allSatisfy { $0.string("state") == "succeeded" })
        #expect(Set(runs.compactMap { $0.string("tick") }).count == 3)
        #expect(server.requests.count == 3)
        // Each process reported the bad file, naming the file and field, and served the rest.
        for serve in [a, b] {
            let invalid = try #require(serve.events("automation_invalid").first)
            #expect(invalid.string("field") == "trigger.cron" && invalid.string("file")?.hasSuffix("broken.toml") == true)
        }
    }

    @Test("two serve processes: when the one running a run is killed, the other interrupts it and runs the retry")
    func survivorTakesOver() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let gate = ScriptGate()
        let server = try ScriptedServer([
            Script(steps: [.wait(gate), .send(Array(ChatStream.text("never delivered").utf8))]),
            Script(steps: [.send(Array(ChatStream.text("Taken over.").utf8))]),
        ])
        defer {
            gate.open()
            server.stop()
        }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("job", trigger: "every = \"1h\"", run: "retries = 1\nbackoff = \"30s\"")
        try project.setClock(testEpoch)
        let a = try ServeProcess(project, name: "a"), b = try ServeProcess(project, name: "b")
        #expect(await a.waitFor("serve_started"))
        #expect(await b.waitFor("serve_started"))
        try project.setClock(testEpoch + 3600)
        #expect(await eventually { server.requests.count == 1 })
        #expect(await eventually { a.events("run_started").count + b.events("run_started").count == 1 })
        let (holder, survivor) = a.events("run_started").isEmpty ? (b, a) : (a, b)
        await holder.kill9()
        // The survivor notices at its next pass (at most a minute later on its clock).
        try project.setClock(testEpoch + 3660)
        #expect(await survivor.waitFor("run_interrupted"))
        try project.setClock(testEpoch + 3660 + 31)
        #expect(await survivor.waitFor("run_finished"))
        #expect(await survivor.terminate() == 0)
        let runs = try await project.runs()
        #expect(runs.map { $0.string("state") } == ["interrupted", "succeeded"])
        #expect(runs.map { $0.int("attempt") } == [1, 2])
        #expect(server.requests.count == 2)
    }

    @Test("disable and enable while serving: the file is reloaded, a disabled automation's ticks pass without runs")
    func disableWhileServing() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let server = try ScriptedServer(responses: [ChatStream.text("Ran.")])
        defer { server.stop() }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("tick", trigger: "every = \"1m\"", run: "catch_up = \"all\"")
        // A witness whose runs prove serve made a pass at a given time.
        try project.automation("witness", trigger: "every = \"1m\"")
        try project.setClock(testEpoch)
        let serve = try ServeProcess(project)
        #expect(await serve.waitFor("serve_started"))
        try project.setClock(testEpoch + 60)
        #expect(await serve.waitFor("run_finished", count: 2))
        let disabled = try await runPie(["automations", "disable", "tick"], cwd: project.path)
        #expect(disabled.status == 0)
        #expect(await serve.waitFor("automations_loaded", count: 2))
        try project.setClock(testEpoch + 180)
        #expect(await serve.waitFor("run_finished", count: 3))
        let enabled = try await runPie(["automations", "enable", "tick"], cwd: project.path)
        #expect(enabled.status == 0)
        #expect(await serve.waitFor("automations_loaded", count: 3))
        try project.setClock(testEpoch + 240)
        #expect(await serve.waitFor("run_finished", count: 5))
        #expect(await serve.terminate() == 0)
        let runs = try await project.runs().filter { $0.string("automation") == "tick" }
        // 00:02 and 00:03 passed while disabled; enabling did not catch them up.
        #expect(runs.map { $0.string("tick") ?? "" } == ["01", "04"].map { "2026-01-01T00:\($0):00+00:00" })
    }

    @Test("a tick while the previous run goes is skipped (overlap = skip); downtime runs the latest tick (catch_up = latest); files reload")
    func overlapCatchUpAndReload() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let gate = ScriptGate()
        let server = try ScriptedServer([
            Script(steps: [.wait(gate), .send(Array(ChatStream.text("Slow run done.").utf8))]),
            Script(steps: [.send(Array(ChatStream.text("Caught up.").utf8))]),
            Script(steps: [.send(Array(ChatStream.text("New automation ran.").utf8))]),
        ])
        defer {
            gate.open()
            server.stop()
        }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("slow", trigger: "every = \"1m\"", run: "overlap = \"skip\"\ncatch_up = \"latest\"")
        try project.setClock(testEpoch)

        let serve = try ServeProcess(project)
        #expect(await serve.waitFor("serve_started"))
        try project.setClock(testEpoch + 60)
        #expect(await eventually { server.requests.count == 1 })
        try project.setClock(testEpoch + 120)
        #expect(await serve.waitFor("run_skipped"))
        gate.open()
        #expect(await serve.waitFor("run_finished"))
        #expect(await serve.terminate() == 0)

        // Ten minutes without a scheduler: only the newest tick runs.
        try project.setClock(testEpoch + 120 + 600)
        let again = try ServeProcess(project, name: "again")
        #expect(await again.waitFor("run_finished"))
        let missed = try #require(again.events("ticks_missed").first)
        #expect(missed.int("missed") == 9)
        // A file added while serving is picked up at the next wake.
        try project.automation("added", trigger: "every = \"1m\"")
        #expect(await again.waitFor("automations_loaded", count: 2))
        try project.setClock(testEpoch + 120 + 600 + 60)
        #expect(await eventually { again.events("run_finished").contains { $0.string("automation") == "added" } })
        #expect(await again.terminate() == 0)

        let runs = try await project.runs()
        let slow = runs.filter { $0.string("automation") == "slow" }
        // The last is the tick of 00:13, due with the added automation's first.
        #expect(slow.map { $0.string("state") } == ["succeeded", "skipped", "succeeded", "succeeded"])
        #expect(slow[1].string("reason") == "run 1 was still running (overlap = skip)")
        #expect(slow.map { $0.string("tick") ?? "" } == ["01", "02", "12", "13"].map { "2026-01-01T00:\($0):00+00:00" })
        #expect(runs.contains { $0.string("automation") == "added" && $0.string("state") == "succeeded" })
    }
}
