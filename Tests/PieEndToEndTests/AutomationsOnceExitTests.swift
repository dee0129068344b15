import Foundation
import Glibc
import PieTestSupport
import Testing

/// `pie automations run ID --once` as the command of a Kubernetes CronJob: its exit codes (0
/// succeeded, 1 failed, 3 another worker holds the tick, 75 retry later), on a SQLite store and
/// on a real PostgreSQL server, through the built binary.
@Suite("pie automations run --once exit codes", .serialized)
struct AutomationsOnceExitTests {
    /// A cron due every 10 minutes: its newest tick is always within the 10 minutes `--once`
    /// accepts, so it is the tick a CronJob's pod started now stands for.
    static let everyTenMinutes = "cron = \"*/10 * * * *\"\ntimezone = \"UTC\""

    /// The commands below must all see one tick, and under a loaded machine they may take a
    /// minute or more: when the next tick is less than three minutes away, wait for it (bounded:
    /// at most three minutes of the real clock `run` reads).
    static func awayFromATick() async {
        while Int(time(nil)) % 600 > 420 { try? await Task.sleep(for: .milliseconds(500)) }
    }

    @Test("0 succeeded, 3 when the tick is held, 1 failed; the worker is shown by `runs`", arguments: ["sqlite", "postgres"])
    func codes(backend: String) async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let postgres = backend == "postgres" ? try await PostgresServer.started() : nil
        defer { postgres?.remove() }
        let store = postgres?.url ?? "sqlite:\(project.path)/store.db"
        let server = try ScriptedServer.replying(ChatStream.text("Done."), ChatStream.text("A long answer."))
        defer { server.stop() }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("nightly", trigger: Self.everyTenMinutes)
        try project.automation("budget", trigger: Self.everyTenMinutes, run: "max_tokens = 10\nretries = 2")
        await Self.awayFromATick()

        let first = try await runPie(["automations", "run", "nightly", "--once", "--store", store, "--json"], cwd: project.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try parseJSON(first.stdout).string("state") == "succeeded")
        // A second pod for the same tick (or a serve worker's look) finds it held: nothing runs.
        let second = try await runPie(["automations", "run", "nightly", "--once", "--store", store], cwd: project.path)
        #expect(second.status == 3, "\(second.stderr)")
        #expect(second.stderr.contains("already holds or ran the tick of nightly"))
        // An exhausted budget is not retried: 1.
        let failed = try await runPie(["automations", "run", "budget", "--once", "--store", store, "--json"], cwd: project.path)
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(try parseJSON(failed.stdout).string("state") == "failed")
        #expect(server.requests.count == 2)

        let runs = try await runPie(["automations", "runs", "--store", store, "--json"], cwd: project.path)
        #expect(runs.status == 0, "\(runs.stderr)")
        let listed = (try parseJSON(runs.stdout))["runs"] as? [[String: Any]] ?? []
        #expect(listed.count == 2)
        #expect(listed.allSatisfy { ($0["worker"] as? String)?.split(separator: "/").count == 3 })
        let table = try await runPie(["automations", "runs", "--store", store], cwd: project.path)
        #expect(table.stdout.contains("WORKER"))
    }

    @Test("75: a failed run whose retry is queued, and again while the retry waits out its backoff")
    func retryLater() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let postgres = try await PostgresServer.started()
        defer { postgres.remove() }
        // A model server that is not there: the model call fails, which a retry may fix.
        let port = try PostgresServer.freePort()
        try project.registerModels([("scripted", "local", "http://127.0.0.1:\(port)/v1")])
        try project.automation("flaky", trigger: Self.everyTenMinutes, run: "retries = 2\nbackoff = \"10m\"")
        await Self.awayFromATick()
        let first = try await runPie(["automations", "run", "flaky", "--once", "--store", postgres.url, "--json"], cwd: project.path)
        #expect(first.status == 75, "\(first.stderr)")
        #expect(first.stderr.contains("will retry flaky (attempt 2 of 3)"))
        let again = try await runPie(["automations", "run", "flaky", "--once", "--store", postgres.url], cwd: project.path)
        #expect(again.status == 75, "\(again.stderr)")
        #expect(again.stderr.contains("waits out its backoff"))
    }

    @Test("75 when the store cannot be reached; the URL's password is never printed")
    func unreachableStore() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.automation("nightly", trigger: "every = \"1h\"")
        let port = try PostgresServer.freePort()
        let url = "postgres://pie:topsecret@127.0.0.1:\(port)/pie"
        let once = try await runPie(["automations", "run", "nightly", "--once", "--store", url], cwd: project.path)
        #expect(once.status == 75, "\(once.stderr)")
        #expect(once.stderr.contains("postgres://pie:***@127.0.0.1:\(port)/pie") && !once.stderr.contains("topsecret"))
        let runs = try await runPie(["automations", "runs"], cwd: project.path, environment: ["PIE_AUTOMATIONS_STORE": url])
        #expect(runs.status == 1 && !runs.stderr.contains("topsecret") && runs.stderr.contains("cannot reach the PostgreSQL server"))
        let bad = try await runPie(["automations", "runs", "--store", "postgres://pie:topsecret@db:70000/pie"], cwd: project.path)
        #expect(bad.status == 2 && bad.stderr.contains("port '70000'") && !bad.stderr.contains("topsecret"))
    }
}

/// Real `pie automations serve` processes sharing a PostgreSQL store: the same scheduler and
/// runner code as on SQLite, each tick run once, runs that name their worker.
@Suite("pie automations serve on PostgreSQL", .serialized)
struct AutomationsPostgresServeTests {
    @Test("two serve processes on one PostgreSQL store run each due tick once, with real model runs")
    func twoWorkers() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let postgres = try await PostgresServer.started()
        defer { postgres.remove() }
        let server = try ScriptedServer(responses: (0..<8).map { ChatStream.text("Done \($0).") })
        defer { server.stop() }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("minutely", trigger: "cron = \"* * * * *\"\ntimezone = \"UTC\"", run: "overlap = \"queue\"")
        try project.automation("other", trigger: "every = \"2m\"", run: "overlap = \"queue\"")
        try project.setClock(testEpoch)

        let store = ["--store", postgres.url, "--lease", "1m"]
        let a = try ServeProcess(project, name: "a", extra: store), b = try ServeProcess(project, name: "b", extra: store)
        #expect(await a.waitFor("serve_started"))
        #expect(await b.waitFor("serve_started"))
        #expect(a.log.contains("postgres://postgres@127.0.0.1:\(postgres.port)/postgres"))
        for minute in 1...4 {
            try project.setClock(testEpoch + Int64(minute) * 60)
            let expected = minute + minute / 2
            // A bound for a full suite on two cores, where the scripted model server in this process
            // can wait a minute for a pool thread; the wait ends as soon as the count is reached.
            #expect(await eventually(seconds: 600) { a.events("run_finished").count + b.events("run_finished").count == expected })
        }
        #expect(await a.terminate() == 0)
        #expect(await b.terminate() == 0)

        let listed = try await runPie(["automations", "runs", "--json"], cwd: project.path, environment: ["PIE_AUTOMATIONS_STORE": postgres.url])
        #expect(listed.status == 0, "\(listed.stderr)")
        let runs = (try parseJSON(listed.stdout))["runs"] as? [[String: Any]] ?? []
        #expect(runs.count == 6)
        #expect(runs.allSatisfy { $0.string("state") == "succeeded" })
        #expect(Set(runs.map { "\($0.string("automation") ?? "") \($0.string("tick") ?? "")" }).count == 6)
        let pids = Set([a.process.pid, b.process.pid].map(String.init))
        #expect(runs.allSatisfy { run in run.string("worker").map { pids.contains(String($0.split(separator: "/")[1])) } ?? false })
        #expect(server.requests.count == 6)
    }
}
