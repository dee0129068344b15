import Glibc
import PieAutomations
import PieSystem
import PieTestSupport
import Synchronization
import Testing

@testable import PieScheduler

/// The PostgreSQL store against a real server the tests start: migrations once under the
/// advisory lock, each tick once across workers, `SKIP LOCKED` claims, fencing by lease
/// generation, and the webhook and notification caches shared by every worker.
@Suite("PostgreSQL store", .serialized)
struct PostgresStoreTests {
    static func automation(_ id: String, _ trigger: String, run: String = "") throws -> Automation {
        let context = ValidationContext(now: Instant(secondsSinceEpoch: 0), environment: [:], home: "/home/user", projectRoot: "/project")
        let result = AutomationParser.parse(
            "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\n\(trigger)\n[run]\n\(run)\n",
            path: "/project/.pie/automations/\(id).toml", id: try #require(AutomationID(id)), scope: .project, context: context)
        return try #require(result.automation, "\(result.issues)")
    }

    static func open(_ server: PostgresServer) throws -> SchedulerStore {
        try SchedulerStore(try StoreLocation(parsing: server.url))
    }

    /// An owner on another host: only its lease's expiry says it stopped.
    static func remote(_ name: String) -> LeaseOwner { LeaseOwner(host: "elsewhere-\(name)", pid: 4242, startTicks: 1) }

    @Test("workers starting together migrate once under the advisory lock; reopening changes nothing")
    func migratesOnce() async throws {
        let server = try await PostgresServer.started()
        defer { server.remove() }
        let url = server.url
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 { group.addTask { _ = try SchedulerStore(try StoreLocation(parsing: url)) } }
            try await group.waitForAll()
        }
        let store = try Self.open(server)
        let database = try #require(store.database as? PostgresStoreDatabase)
        let versions = try database.read { db throws(StoreQueryError) in try db.query("SELECT version FROM schema_version", []) }
        #expect(versions.map { $0.int64(0) } == [PostgresSchema.version])
    }

    @Test("four workers claiming the same due ticks at once insert each tick once")
    func ticksOnceAcrossWorkers() async throws {
        let server = try await PostgresServer.started()
        defer { server.remove() }
        let automations = try (0..<20).map { try Self.automation("job\($0)", "every = \"1m\"", run: "catch_up = \"all\"\noverlap = \"queue\"") }
        let start = Instant(secondsSinceEpoch: 1_767_225_600)
        let stores = try (0..<4).map { _ in try Self.open(server) }
        for automation in automations { try stores[0].register(automation, fileHash: "h", now: start) }
        for minute in 1...10 {
            let now = start.plus(Int64(minute) * 60)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in stores {
                    group.addTask {
                        for automation in automations {
                            _ = try store.claimDueTicks(automation, trigger: try #require(try ClockTrigger.make(automation.trigger, environment: [:])), now: now)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let runs = try stores[0].runs(automationID: nil, limit: 10_000)
        #expect(runs.count == 20 * 10)
        let keys = Set(runs.map { "\($0.automationFile) \($0.tick?.secondsSinceEpoch ?? 0)" })
        #expect(keys.count == runs.count)
    }

    @Test("SKIP LOCKED: four workers take every queued run once, never two of one automation at a time")
    func claimsOnce() async throws {
        let server = try await PostgresServer.started()
        defer { server.remove() }
        let automations = try (0..<10).map { try Self.automation("job\($0)", "every = \"1m\"", run: "catch_up = \"all\"\noverlap = \"queue\"") }
        let start = Instant(secondsSinceEpoch: 1_767_225_600)
        let setup = try Self.open(server)
        for automation in automations {
            try setup.register(automation, fileHash: "h", now: start)
            _ = try setup.claimDueTicks(automation, trigger: try #require(try ClockTrigger.make(automation.trigger, environment: [:])), now: start.plus(600))
        }
        let files = automations.map(\.path)
        let now = start.plus(600)
        let claimed = try await withThrowingTaskGroup(of: [RunRecord].self) { group in
            for index in 0..<4 {
                group.addTask {
                    let store = try Self.open(server)
                    let owner = Self.remote("w\(index)")
                    var mine: [RunRecord] = []
                    while let run = try store.claimNext(owner: owner, now: now, leaseSeconds: 60, files: files) {
                        // While it runs, no other run of its automation may start anywhere.
                        let running = try store.runs(automationID: run.automationID, limit: 100).filter { $0.state == .running }
                        #expect(running.map(\.id) == [run.id])
                        mine.append(run)
                        #expect(try store.finish(run.id, owner: owner, generation: run.leaseGeneration, outcome: RunOutcome(state: .succeeded), now: now).recorded)
                    }
                    return mine
                }
            }
            var all: [RunRecord] = []
            for try await batch in group { all += batch }
            return all
        }
        #expect(claimed.count == 100)
        #expect(Set(claimed.map(\.id)).count == 100)
        #expect(Set(claimed.compactMap(\.leaseGeneration)).count == 100)
        let runs = try setup.runs(automationID: nil, limit: 1_000)
        #expect(runs.allSatisfy { $0.state == .succeeded && $0.worker?.hasPrefix("elsewhere-w") == true })
    }

    @Test("fencing: a worker whose lease expired and was taken over cannot finish the run")
    func fencing() async throws {
        let server = try await PostgresServer.started()
        defer { server.remove() }
        let store = try Self.open(server)
        let automation = try Self.automation("job", "every = \"1h\"", run: "retries = 2\nbackoff = \"30s\"")
        let start = Instant(secondsSinceEpoch: 1_767_225_600)
        try store.register(automation, fileHash: "h", now: start)
        _ = try store.claimDueTicks(automation, trigger: try #require(try ClockTrigger.make(automation.trigger, environment: [:])), now: start.plus(3600))
        let paused = Self.remote("paused"), other = Self.remote("other")
        let run = try #require(try store.claimNext(owner: paused, now: start.plus(3600), leaseSeconds: 60, files: [automation.path]))
        #expect(try store.holdsLease(run.id, owner: paused, generation: run.leaseGeneration))
        // Within the lease nothing is recovered.
        #expect(try store.recoverAbandoned(now: start.plus(3650)).isEmpty)
        let recovered = try store.recoverAbandoned(now: start.plus(3661))
        #expect(recovered.map(\.interrupted.id) == [run.id])
        let retryID = try #require(recovered.first?.retry)
        let retry = try #require(try store.claimNext(owner: other, now: start.plus(3700), leaseSeconds: 60, files: [automation.path]))
        #expect(retry.id == retryID && retry.attempt == 2)
        #expect(try #require(retry.leaseGeneration) > (try #require(run.leaseGeneration)))
        // The paused worker resumes: its lease is gone, and its outcome is refused.
        #expect(try !store.holdsLease(run.id, owner: paused, generation: run.leaseGeneration))
        // Its first heartbeat tells it to stop the run (once), and renews nothing of it.
        let stop = try store.heartbeat(owner: paused, now: start.plus(3700), leaseSeconds: 60)
        #expect(Array(stop.keys) == [run.id])
        #expect(stop[run.id]?.contains("lost its lease") == true)
        #expect(try store.heartbeat(owner: paused, now: start.plus(3700), leaseSeconds: 60).isEmpty)
        #expect(try !store.holdsLease(run.id, owner: paused, generation: nil))
        let late = try store.finish(run.id, owner: paused, generation: run.leaseGeneration, outcome: RunOutcome(state: .succeeded), now: start.plus(3700))
        #expect(!late.recorded)
        #expect(try store.run(run.id)?.state == .interrupted)
        // A stale generation is refused even by the right owner.
        #expect(try !store.finish(retry.id, owner: other, generation: run.leaseGeneration, outcome: RunOutcome(state: .succeeded), now: start.plus(3701)).recorded)
        #expect(try store.finish(retry.id, owner: other, generation: retry.leaseGeneration, outcome: RunOutcome(state: .succeeded), now: start.plus(3701)).recorded)
        #expect(try store.run(retry.id)?.worker == other.description)
    }

    /// One queued run of an hourly automation without retries, at `start + 1 h`.
    static func queuedOnce(_ store: SchedulerStore, _ id: String, start: Instant) throws -> Automation {
        let automation = try Self.automation(id, "every = \"1h\"", run: "retries = 0")
        try store.register(automation, fileHash: "h", now: start)
        _ = try store.claimDueTicks(automation, trigger: try #require(try ClockTrigger.make(automation.trigger, environment: [:])), now: start.plus(3600))
        return automation
    }

    @Test("a claim whose COMMIT reached the server but whose answer was lost goes back to the queue at the next heartbeat and runs once")
    func claimCommitLostAfterServer() async throws {
        let server = try await PostgresServer.started()
        defer { server.remove() }
        let proxy = try CommitCuttingProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        let direct = try Self.open(server)
        let worker = try SchedulerStore(try StoreLocation(parsing: proxy.url))
        let start = Instant(secondsSinceEpoch: 1_767_225_600)
        let automation = try Self.queuedOnce(direct, "job", start: start)
        let owner = Self.remote("cut"), now = start.plus(3600)
        let queued = try #require(try direct.runs(automationID: "job", limit: 10).first)

        proxy.arm(.afterServer)
        do {
            let claimed = try worker.claimNext(owner: owner, now: now, leaseSeconds: 60, files: [automation.path])
            Issue.record("the claim returned \(String(describing: claimed)) through a connection cut at its COMMIT")
        } catch {
            #expect(error.isCommitUnknown, "\(error)")
            #expect(error.description.contains("during COMMIT"))
        }
        #expect(proxy.cuts.load(ordering: .relaxed) == 1)
        // The server applied the claim: the run is running under this worker's lease, which nobody runs.
        let orphan = try #require(try direct.run(queued.id))
        #expect(orphan.state == .running && orphan.worker == owner.description)

        // The next heartbeat does not renew that lease: it puts the run back, as it was.
        #expect(try worker.heartbeat(owner: owner, now: now.plus(20), leaseSeconds: 60).isEmpty)
        let requeued = try #require(try direct.run(queued.id))
        #expect(requeued.state == .queued && requeued.worker == nil && requeued.startedAt == nil && requeued.attempt == 1)
        #expect(try !direct.holdsLease(queued.id, owner: owner, generation: nil))
        // Settled once: a later heartbeat and the lease's expiry find nothing more to do.
        #expect(try worker.heartbeat(owner: owner, now: now.plus(40), leaseSeconds: 60).isEmpty)
        #expect(try direct.recoverAbandoned(now: now.plus(3600)).isEmpty)

        // Claimed again (the same run, attempt 1), it runs once and is recorded.
        let run = try #require(try worker.claimNext(owner: owner, now: now.plus(41), leaseSeconds: 60, files: [automation.path]))
        #expect(run.id == queued.id && run.attempt == 1)
        #expect(try worker.finish(run.id, owner: owner, generation: run.leaseGeneration, outcome: RunOutcome(state: .succeeded), now: now.plus(42)).recorded)
        let runs = try direct.runs(automationID: "job", limit: 10)
        #expect(runs.map(\.state) == [.succeeded])
    }

    @Test("a claim whose COMMIT never reached the server leaves the run queued; settling it later never touches another worker's claim")
    func claimCommitLostBeforeServer() async throws {
        let server = try await PostgresServer.started()
        defer { server.remove() }
        let proxy = try CommitCuttingProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        let direct = try Self.open(server)
        let worker = try SchedulerStore(try StoreLocation(parsing: proxy.url))
        let start = Instant(secondsSinceEpoch: 1_767_225_600)
        let automation = try Self.queuedOnce(direct, "job", start: start)
        let owner = Self.remote("cut"), other = Self.remote("other"), now = start.plus(3600)

        proxy.arm(.beforeServer)
        #expect(throws: StoreError.self) { try worker.claimNext(owner: owner, now: now, leaseSeconds: 60, files: [automation.path]) }
        #expect(proxy.cuts.load(ordering: .relaxed) == 1)
        #expect(try direct.runs(automationID: "job", limit: 10).map(\.state) == [.queued])
        // Another worker takes the run before this one's heartbeat settles its lost claim.
        let taken = try #require(try direct.claimNext(owner: other, now: now.plus(1), leaseSeconds: 60, files: [automation.path]))
        #expect(try worker.heartbeat(owner: owner, now: now.plus(2), leaseSeconds: 60).isEmpty)
        #expect(try direct.holdsLease(taken.id, owner: other, generation: taken.leaseGeneration))
        #expect(try direct.run(taken.id)?.state == .running)
        #expect(try direct.finish(taken.id, owner: other, generation: taken.leaseGeneration, outcome: RunOutcome(state: .succeeded), now: now.plus(3)).recorded)
    }

    @Test("the finish is fenced in its own statement: a takeover committed while it waits makes it record nothing")
    func finishWaitsForTakeover() async throws {
        let server = try await PostgresServer.started()
        defer { server.remove() }
        let store = try Self.open(server)
        let start = Instant(secondsSinceEpoch: 1_767_225_600)
        let automation = try Self.queuedOnce(store, "job", start: start)
        let owner = Self.remote("slow"), now = start.plus(3600)
        let run = try #require(try store.claimNext(owner: owner, now: now, leaseSeconds: 60, files: [automation.path]))
        // A takeover in flight: another session has interrupted the run and not yet committed.
        let taker = try PostgresConnection(url: try PostgresURL(parsing: server.url), applicationName: "taker")
        try taker.command("BEGIN")
        _ = try taker.execute("UPDATE runs SET state = 'interrupted', reason = 'taken over' WHERE id = $1", [.integer(run.id.rawValue)])
        let finished = Mutex<FinishResult?>(nil)
        let url = server.url
        DetachedThread.start {
            let late = try? SchedulerStore(try StoreLocation(parsing: url))
                .finish(run.id, owner: owner, generation: run.leaseGeneration, outcome: RunOutcome(state: .succeeded), now: now.plus(1))
            finished.withLock { $0 = late }
        }
        // The finish has checked nothing yet: it waits for the run's row (seen in pg_locks).
        let waiting = try await eventually {
            try store.database.read { db throws(StoreQueryError) in
                try db.first("SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'", [])?.int64(0) ?? 0
            } > 0
        }
        try #require(waiting)
        try taker.command("COMMIT")
        let answered = await eventually { finished.withLock { $0 } != nil }
        try #require(answered)
        #expect(finished.withLock { $0 } == FinishResult(recorded: false, retry: nil))
        #expect(try store.run(run.id)?.state == .interrupted)
        #expect(try store.run(run.id)?.reason == "taken over")
    }

    @Test("on PostgreSQL a live worker on this host loses its run when its lease expires")
    func localWorkerExpires() async throws {
        let server = try await PostgresServer.started()
        defer { server.remove() }
        let store = try Self.open(server)
        let automation = try Self.automation("job", "every = \"1h\"", run: "retries = 1")
        let start = Instant(secondsSinceEpoch: 1_767_225_600)
        try store.register(automation, fileHash: "h", now: start)
        _ = try store.claimDueTicks(automation, trigger: try #require(try ClockTrigger.make(automation.trigger, environment: [:])), now: start.plus(3600))
        let run = try #require(try store.claimNext(owner: .current(), now: start.plus(3600), leaseSeconds: 60, files: [automation.path]))
        #expect(try store.recoverAbandoned(now: start.plus(3660)).isEmpty)
        #expect(try store.recoverAbandoned(now: start.plus(3661)).map(\.interrupted.id) == [run.id])
    }

    @Test("webhook replay and debounce and MCP notification keys are shared by every worker")
    func sharedCaches() async throws {
        let server = try await PostgresServer.started()
        defer { server.remove() }
        let a = try Self.open(server), b = try Self.open(server)
        let hook = try Self.automation("hook", "webhook = { path = \"/hooks/deploy\", secret_env = \"S\", signature = \"hmac-sha256\" }")
        let now = Instant(secondsSinceEpoch: 1_767_225_600)
        let first = try a.admitDelivery(
            automation: hook, replayKeys: ["id:1"], body: "one", receivedAt: now, debounce: AutomationDuration(seconds: 30))
        guard case .queued(let run) = first else { Issue.record("\(first)"); return }
        #expect(try b.admitDelivery(automation: hook, replayKeys: ["id:1"], body: "again", receivedAt: now.plus(1), debounce: AutomationDuration(seconds: 30)) == .replayed)
        #expect(try b.admitDelivery(automation: hook, replayKeys: ["id:2"], body: "two", receivedAt: now.plus(2), debounce: AutomationDuration(seconds: 30)) == .coalesced(run))
        #expect(try a.run(run)?.payload == "two")
        let mcp = try Self.automation("notes", "mcp = { server = \"gh\", method = \"notifications/resources/updated\" }")
        let queued = try a.admitNotification(automation: mcp, dedupKey: "k", body: "n1", receivedAt: now)
        guard case .queued(let notified) = queued else { Issue.record("\(queued)"); return }
        #expect(try b.admitNotification(automation: mcp, dedupKey: "k", body: "n2", receivedAt: now.plus(1)) == .coalesced(notified))
        #expect(try a.run(notified)?.payload == "n2")
    }

    @Test("a server that is not there: a clear error naming the store, with the password masked")
    func unreachable() throws {
        let port = try PostgresServer.freePort()
        do {
            _ = try SchedulerStore(try StoreLocation(parsing: "postgres://pie:s3cret@127.0.0.1:\(port)/pie"))
            Issue.record("opened a store on a port nothing listens on")
        } catch {
            #expect(error.description.contains("postgres://pie:***@127.0.0.1:\(port)/pie"))
            #expect(error.description.contains("cannot reach the PostgreSQL server"))
            #expect(!error.description.contains("s3cret"))
        }
    }
}

extension Instant {
    func plus(_ seconds: Int64) -> Instant { Instant(secondsSinceEpoch: secondsSinceEpoch + seconds) }
}
