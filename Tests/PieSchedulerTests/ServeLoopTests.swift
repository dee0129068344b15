import Glibc
import PieAutomations
import PieJSON
import Synchronization
import Testing

@testable import PieScheduler

/// The serve loop in-process, with an injected clock, executor and trigger source.
@Suite struct ServeLoopTests {
    /// A clock the test sets; every wait asks for a deadline, which is recorded, and then lasts
    /// at most 5 ms of real time, so the loop looks again soon.
    final class TestClock: SchedulerClock {
        let time: Mutex<Instant>
        let deadlines = Mutex<[Instant]>([])
        init(_ start: Instant) { time = Mutex(start) }
        func now() -> Instant { time.withLock { $0 } }
        func set(_ instant: Instant) { time.withLock { $0 = instant } }
        func delay(until deadline: Instant) -> Duration {
            deadlines.withLock { $0.append(deadline) }
            return now() >= deadline ? .zero : .milliseconds(5)
        }
    }

    /// Records each run; a run of an automation named `slow-…` lasts until it is cancelled.
    final class RecordingExecutor: RunExecutor {
        let runs = Mutex<[RunRecord]>([])
        func execute(_ run: RunRecord, of automation: Automation) async -> RunOutcome {
            runs.withLock { $0.append(run) }
            if automation.id.rawValue.hasPrefix("slow") {
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
                return RunOutcome(state: .interrupted, reason: "cancelled", retryable: true)
            }
            return RunOutcome(state: .succeeded, finalMessage: "done \(run.id)", tokens: 3)
        }
    }

    /// A file-trigger stand-in: queues one event with a payload as soon as it starts.
    final class OneEventSource: TriggerSource {
        let name = "test"
        let stopped = Mutex(false)
        func start(automations: [Automation], sink: TriggerSink) async throws {
            guard let automation = automations.first(where: { $0.trigger.kind == "file" }) else { return }
            _ = try sink.enqueue(automation: automation, kind: .file, payload: "created /tmp/build.done")
        }
        func reload(automations: [Automation]) async {}
        func stop() async { stopped.withLock { $0 = true } }
    }

    /// The log lines a loop wrote.
    final class LineBuffer: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    struct Setup {
        let scratch: ScratchStore
        let directory: String
        let store: SchedulerStore
        let clock: TestClock
        let executor = RecordingExecutor()
        let lines = LineBuffer()

        init(files: [String: String]) throws {
            scratch = try ScratchStore()
            directory = scratch.directory + "/automations"
            #expect(mkdir(directory, 0o700) == 0)
            for (name, text) in files {
                let fd = open("\(directory)/\(name).toml", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                _ = text.withCString { write(fd, $0, strlen($0)) }
                close(fd)
            }
            store = try scratch.open()
            clock = TestClock(try Fixture.instant("2026-01-01T00:00:00Z"))
        }

        func loop(sources: [any TriggerSource] = [], grace: Duration = .seconds(30)) -> ServeLoop {
            let context = ValidationContext(
                now: clock.now(), environment: [:], home: "/nonexistent", projectRoot: scratch.directory, purpose: .serve)
            let lines = self.lines
            let log = ServeLog(format: .json, clock: clock) { line in lines.append(line) }
            var configuration = ServeLoop.Configuration(directories: [(.project, directory)], context: context)
            configuration.grace = grace
            return ServeLoop(store: store, executor: executor, clock: clock, log: log, configuration: configuration, sources: sources)
        }

        func events(_ name: String) -> [JSONValue] {
            lines.all.compactMap { try? JSONParser.parse(Array($0.utf8)) }.filter { $0["event"]?.stringValue == name }
        }

        func remove() {
            for name in (try? listing()) ?? [] { unlink("\(directory)/\(name)") }
            rmdir(directory)
            scratch.remove()
        }

        private func listing() throws -> [String] { AutomationLoader.files(in: directory).map { String($0.split(separator: "/").last ?? "") } }
    }

    static func until(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<2_000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition()
    }

    @Test func anEventFromATriggerSourceRunsWithItsPayload() async throws {
        let setup = try Setup(files: [
            "built": "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\nfile = { path = \"/tmp/build.done\", on = \"created\" }\n"
        ])
        defer { setup.remove() }
        let source = OneEventSource()
        let loop = setup.loop(sources: [source])
        let serving = Task { await loop.run() }
        #expect(await Self.until { !setup.events("run_finished").isEmpty })
        loop.stop()
        await serving.value
        #expect(source.stopped.withLock { $0 })
        let run = try #require(setup.executor.runs.withLock { $0.first })
        #expect(run.trigger == .file && run.payload == "created /tmp/build.done")
        #expect(try setup.store.run(run.id)?.state == .succeeded)
        #expect(try setup.store.run(run.id)?.finalMessage == "done \(run.id)")
    }

    @Test func anIdleLoopSleepsAMinuteAtATimeAndWakesForTheNextTick() async throws {
        let setup = try Setup(files: ["hourly": "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\ncron = \"0 * * * *\"\ntimezone = \"UTC\"\n"])
        defer { setup.remove() }
        let start = setup.clock.now()
        let loop = setup.loop()
        let serving = Task { await loop.run() }
        #expect(await Self.until { setup.clock.deadlines.withLock { $0.count } >= 3 })
        // Nothing due within the hour: every wait is for a minute ahead, never sooner.
        #expect(setup.clock.deadlines.withLock { $0 }.allSatisfy { $0 == start.plus(60) })
        setup.clock.set(start.plus(59 * 60 + 30))
        setup.clock.deadlines.withLock { $0 = [] }
        #expect(await Self.until { setup.clock.deadlines.withLock { $0.count } >= 2 })
        // Thirty seconds before the tick, the loop waits for the tick itself.
        #expect(setup.clock.deadlines.withLock { $0 }.last == start.plus(3600))
        setup.clock.set(start.plus(3600))
        #expect(await Self.until { !setup.events("run_finished").isEmpty })
        loop.stop()
        await serving.value
        #expect(setup.executor.runs.withLock { $0.map(\.tick) } == [start.plus(3600)])
    }

    @Test func replaceStopsTheRunningRunAndStartsTheNewTick() async throws {
        let setup = try Setup(files: [
            "slow-job": "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\nevery = \"1m\"\n[run]\noverlap = \"replace\"\nretries = 2\n"
        ])
        defer { setup.remove() }
        let start = setup.clock.now()
        // The second run never ends by itself: a short grace period ends it at shutdown.
        let loop = setup.loop(grace: .milliseconds(50))
        let serving = Task { await loop.run() }
        #expect(await Self.until { !setup.events("serve_started").isEmpty })
        setup.clock.set(start.plus(60))
        #expect(await Self.until { setup.executor.runs.withLock { $0.count } == 1 })
        setup.clock.set(start.plus(120))
        #expect(await Self.until { setup.executor.runs.withLock { $0.count } == 2 })
        loop.stop()
        await serving.value
        let runs = try setup.store.runs().reversed().map { $0 }
        #expect(runs[0].state == .interrupted && runs[0].reason == "replaced by run \(runs[1].id) (overlap = replace)")
        // The replaced run is not retried; the new one was cut short by the shutdown and is.
        #expect(runs[1].tick == start.plus(120) && runs[1].state == .interrupted)
        #expect(runs[1].reason?.contains("SIGTERM") == true)
        #expect(runs.count == 3 && runs[2].retryOf == runs[1].id)
    }
}
