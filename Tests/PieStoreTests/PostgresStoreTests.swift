import Glibc
import PieAutomations
import PieTestSupport
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
        #expect(try store.heartbeat(owner: paused, now: start.plus(3700), leaseSeconds: 60).isEmpty)
        let late = try store.finish(run.id, owner: paused, generation: run.leaseGeneration, outcome: RunOutcome(state: .succeeded), now: start.plus(3700))
        #expect(!late.recorded)
        #expect(try store.run(run.id)?.state == .interrupted)
        // A stale generation is refused even by the right owner.
        #expect(try !store.finish(retry.id, owner: other, generation: run.leaseGeneration, outcome: RunOutcome(state: .succeeded), now: start.plus(3701)).recorded)
        #expect(try store.finish(retry.id, owner: other, generation: retry.leaseGeneration, outcome: RunOutcome(state: .succeeded), now: start.plus(3701)).recorded)
        #expect(try store.run(retry.id)?.worker == other.description)
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
