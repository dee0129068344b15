import Glibc
import PieAutomations
import PieScheduler
import PieSystem
import PieTestSupport
import Testing

/// Three worker processes on one PostgreSQL store over the test clock: hundreds of ticks of many
/// automations, then a fault (kill -9 of a worker mid-run, the database stopped and started, a
/// worker paused past its lease). After each, every tick ran exactly once or was interrupted and
/// retried, each side effect happened once (the effects file has one line per tick), and nothing
/// was lost.
@Suite("Many workers on PostgreSQL: faults", .serialized)
struct StoreFaultTests {
    /// Automations every minute; `slow` (every 10 minutes) waits for the gate mid-run.
    static let fast = (1...12).map { $0 < 10 ? "a0\($0)" : "a\($0)" }
    static let lease: Int64 = 120

    /// A PostgreSQL server, three workers and the automations, at `testEpoch`.
    final class Cluster {
        let server: PostgresServer
        let scratch: Scratch
        let store: SchedulerStore
        var workers: [Worker] = []
        var now = testEpoch

        init(server: PostgresServer) throws {
            self.server = server
            scratch = try Scratch()
            for id in StoreFaultTests.fast { try scratch.automation(id, every: "1m") }
            try scratch.automation("slow", every: "10m")
            try scratch.setClock(testEpoch)
            store = try SchedulerStore(try StoreLocation(parsing: server.url))
            workers = try (0..<3).map { _ in try Worker(scratch, store: server.url, lease: StoreFaultTests.lease) }
        }

        /// Every tick due by now, of every automation (the store anchored them at `testEpoch`).
        func expectedTicks(upTo time: Int64) -> [String: [Int64]] {
            var ticks: [String: [Int64]] = [:]
            for id in StoreFaultTests.fast { ticks[id] = stride(from: testEpoch + 60, through: time, by: 60).map { $0 } }
            ticks["slow"] = stride(from: testEpoch + 600, through: time, by: 600).map { $0 }
            return ticks
        }

        /// Waits until every worker loaded the automations (and so anchored them at `testEpoch`).
        func started() async throws {
            let up = await eventually { workers.allSatisfy { $0.log.contains("\"serve_started\"") } }
            try #require(up, "the workers did not start:\n\(logs())")
        }

        /// Moves the clock one minute and waits until every fast tick due by then succeeded.
        func advance(minutes: Int = 1) async throws {
            for _ in 0..<minutes {
                now += 60
                try scratch.setClock(now)
                let due = StoreFaultTests.fast.count * Int((now - testEpoch) / 60)
                let done = try await eventually(seconds: 90) {
                    try succeededFast() >= due
                }
                try #require(done, "fast ticks up to \(now) did not all run; workers' logs:\n\(logs())")
            }
        }

        func succeededFast() throws -> Int {
            try store.runs(automationID: nil, limit: 100_000).filter { $0.state == .succeeded && $0.automationID != "slow" }.count
        }

        func slowRuns() throws -> [RunRecord] {
            try store.runs(automationID: "slow", limit: 1_000).sorted { $0.id < $1.id }
        }

        func logs() -> String {
            workers.enumerated().map { "--- worker \($0.offset) (pid \($0.element.pid)):\n\($0.element.log.suffix(4000))" }.joined(separator: "\n")
        }

        /// The checks every scenario ends with.
        func verify() async throws {
            // Let the last queued runs finish.
            let settled = try await eventually(seconds: 90) {
                try store.runs(automationID: nil, limit: 100_000).allSatisfy { $0.state.isFinal }
            }
            #expect(settled, "runs still queued or running:\n\(logs())")
            let runs = try store.runs(automationID: nil, limit: 100_000)
            let lines = try scratch.effectLines()
            let expected = expectedTicks(upTo: now)
            #expect(expected.values.map(\.count).reduce(0, +) >= 12 * 25)
            for (id, ticks) in expected {
                for tick in ticks {
                    let attempts = runs.filter { $0.automationID == id && $0.tick?.secondsSinceEpoch == tick }.sorted { $0.attempt < $1.attempt }
                    let states = attempts.map(\.state)
                    // Exactly once: one success, earlier attempts interrupted (and retried), nothing else.
                    #expect(states.filter { $0 == .succeeded }.count == 1, "\(id) tick \(tick): \(states)")
                    #expect(states.dropLast().allSatisfy { $0 == .interrupted } && states.last == .succeeded, "\(id) tick \(tick): \(states)")
                    #expect(attempts.map(\.attempt) == Array(1...max(1, attempts.count)), "\(id) tick \(tick) attempts")
                    let effects = lines.filter { $0.count == 5 && $0[0] == id && $0[1] == String(tick) }
                    #expect(effects.count == 1, "\(id) tick \(tick): \(effects.count) side effects")
                    if let success = attempts.last, let line = effects.first {
                        #expect(line[2] == String(success.id.rawValue), "\(id) tick \(tick): the side effect is not the recorded run's")
                        #expect(success.worker.flatMap(workerPid).map(String.init) == line[4], "\(id) tick \(tick): worker")
                    }
                }
            }
            // No run for a tick that was not due, and no side effect without its tick.
            #expect(runs.allSatisfy { run in run.tick.map { expected[run.automationID]?.contains($0.secondsSinceEpoch) == true } ?? false })
            #expect(lines.count == expected.values.map(\.count).reduce(0, +), "\(lines.count) lines")
        }

        func remove() {
            for worker in workers { worker.stop() }
            server.remove()
            scratch.remove()
        }
    }

    @Test("kill -9 of a worker mid-run: its run is interrupted and retried by another; every tick once")
    func killedWorker() async throws {
        let cluster = try Cluster(server: try await PostgresServer.started())
        defer { cluster.remove() }
        try await cluster.started()
        try await cluster.advance(minutes: 10)
        // The slow tick at +10 min is running somewhere, waiting for the gate.
        let held = try await eventually { try cluster.slowRuns().first?.state == .running }
        try #require(held, "\(cluster.logs())")
        let holder = try #require(workerPid(try cluster.slowRuns().first?.worker))
        let victim = try #require(cluster.workers.first { $0.pid == holder })
        await victim.kill9()
        let interrupted = try await eventually { try cluster.slowRuns().first?.state == .interrupted }
        try #require(interrupted, "\(cluster.logs())")
        #expect(try cluster.slowRuns().first?.reason?.contains("stopped (killed or crashed)") == true)
        try cluster.scratch.openGate()
        try await cluster.advance(minutes: 16)
        try await cluster.verify()
        let slow = try cluster.slowRuns()
        #expect(slow.first.map { workerPid($0.worker) } == holder)
        #expect(slow.filter { $0.state == .succeeded }.allSatisfy { workerPid($0.worker) != holder })
    }

    @Test("the database stopped for seconds and started again: workers carry on; every tick once")
    func databaseRestart() async throws {
        let cluster = try Cluster(server: try await PostgresServer.started())
        defer { cluster.remove() }
        try await cluster.started()
        try await cluster.advance(minutes: 10)
        let held = try await eventually { try cluster.slowRuns().first?.state == .running }
        try #require(held, "\(cluster.logs())")
        try await cluster.server.stopWaiting()
        // Ticks fall due and the slow run reaches its side effect while the database is down.
        cluster.now += 60
        try cluster.scratch.setClock(cluster.now)
        try cluster.scratch.openGate()
        try await Task.sleep(for: .seconds(3))
        try await cluster.server.startWaiting()
        let caughtUp = try await eventually(seconds: 90) { try cluster.succeededFast() >= StoreFaultTests.fast.count * 11 }
        try #require(caughtUp, "\(cluster.logs())")
        try await cluster.advance(minutes: 15)
        try await cluster.verify()
        #expect(cluster.workers.contains { $0.log.contains("\"store_failed\"") }, "the workers never saw the database down")
    }

    @Test("a worker paused past its lease: another takes the run over; the paused one records nothing when resumed")
    func pausedWorkerIsFenced() async throws {
        let cluster = try Cluster(server: try await PostgresServer.started())
        defer { cluster.remove() }
        try await cluster.started()
        try await cluster.advance(minutes: 10)
        let held = try await eventually { try cluster.slowRuns().first?.state == .running }
        try #require(held, "\(cluster.logs())")
        let first = try #require(try cluster.slowRuns().first)
        let holder = try #require(workerPid(first.worker))
        let paused = try #require(cluster.workers.first { $0.pid == holder })
        paused.process.signal(SIGSTOP)
        // Past the lease (taken at +10 min for 2 minutes): at +13 min the others interrupt the run,
        // and at +14 min, past its 30 s backoff, one of them retries it (waiting at the gate).
        try await cluster.advance(minutes: 4)
        let retried = try await eventually {
            let slow = try cluster.slowRuns()
            return slow.count >= 2 && slow[0].state == .interrupted && slow[1].state == .running
        }
        try #require(retried, "\(cluster.logs())")
        let retry = try cluster.slowRuns()[1]
        #expect(workerPid(retry.worker) != holder)
        #expect(try cluster.slowRuns()[0].reason?.contains("expired without a heartbeat") == true)
        paused.process.signal(SIGCONT)
        try cluster.scratch.openGate()
        let lost = await eventually { paused.log.contains("\"run_lost_lease\"") || paused.log.contains("lease was lost") }
        #expect(lost, "the resumed worker did not report its lost lease:\n\(paused.log.suffix(3000))")
        try await cluster.advance(minutes: 12)
        try await cluster.verify()
        let slowLines = try cluster.scratch.effectLines().filter { $0.first == "slow" && $0[1] == String(testEpoch + 600) }
        #expect(slowLines.count == 1 && slowLines.first?[4] != String(holder))
    }
}
