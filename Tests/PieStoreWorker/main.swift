import Glibc
import PieAutomations
import PieScheduler
import PieSystem

// A scheduler worker for the store's fault tests: the real serve loop (`ServeLoop`) over the
// real store (`--store`, SQLite or PostgreSQL) and the test clock (`--clock-file`), with a run
// executor whose side effect is one appended line per run. Runs of automations whose id starts
// with `slow` wait for the gate file before their side effect, so a test can kill or pause a
// worker mid-run. Before the side effect the executor asks the store whether it still holds the
// run's lease under its generation (the fence): a worker paused past its lease writes nothing.
//
// pie-store-worker --store URL --clock-file FILE --automations DIR --effects FILE --gate FILE --lease SECONDS

/// The side-effect executor described above.
struct AppendingExecutor: RunExecutor {
    let store: any AutomationStore
    let owner: LeaseOwner
    let effects: String
    let gate: String

    func execute(_ run: RunRecord, of automation: Automation) async -> RunOutcome {
        if automation.id.rawValue.hasPrefix("slow") {
            while access(gate, F_OK) != 0 {
                if Task.isCancelled { return RunOutcome(state: .interrupted, reason: "cancelled before the gate opened") }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        // A store that cannot be reached (the database restarting) is asked again for a minute.
        let deadline = ContinuousClock.now + .seconds(60)
        var held: Bool?
        while held == nil {
            do {
                held = try store.holdsLease(run.id, owner: owner, generation: run.leaseGeneration)
            } catch {
                guard ContinuousClock.now < deadline else { return RunOutcome(state: .failed, reason: "cannot check the lease: \(error)") }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        guard held == true else { return RunOutcome(state: .interrupted, reason: "the lease was lost before the side effect") }
        let tick = run.tick.map { String($0.secondsSinceEpoch) } ?? "-"
        let line = "\(automation.id.rawValue) \(tick) \(run.id) \(run.attempt) \(getpid())\n"
        let fd = open(effects, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return RunOutcome(state: .failed, reason: "cannot open \(effects)") }
        defer { close(fd) }
        // One write of a short line to an O_APPEND file: lines of several workers never interleave.
        guard FileIO.writeAll(fd, Array(line.utf8)) == nil else { return RunOutcome(state: .failed, reason: "cannot write \(effects)") }
        return RunOutcome(state: .succeeded, finalMessage: "appended")
    }
}

func fail(_ message: String) -> Never {
    _ = FileIO.writeAll(STDERR_FILENO, Array("pie-store-worker: \(message)\n".utf8))
    exit(2)
}

/// `--KEY VALUE` pairs.
func parseOptions() -> [String: String] {
    var options: [String: String] = [:]
    var arguments = CommandLine.arguments.dropFirst()
    while let key = arguments.popFirst() {
        guard key.hasPrefix("--"), let value = arguments.popFirst() else { fail("expected --KEY VALUE pairs, got '\(key)'") }
        options[String(key.dropFirst(2))] = value
    }
    return options
}

let options = parseOptions()
func option(_ name: String) -> String {
    guard let value = options[name] else { fail("--\(name) is required") }
    return value
}

let store: SchedulerStore
do {
    store = try SchedulerStore(try StoreLocation(parsing: option("store")))
} catch {
    fail(error.description)
}
let clock: FileClock
do { clock = try FileClock(path: option("clock-file")) } catch { fail(error.description) }
guard let lease = Int64(option("lease")) else { fail("--lease must be whole seconds") }
let owner = LeaseOwner.current()
let log = ServeLog(format: .json, clock: clock) { line in _ = FileIO.writeAll(STDERR_FILENO, Array(line.utf8)) }
var configuration = ServeLoop.Configuration(
    directories: [(.project, option("automations"))],
    context: ValidationContext(now: clock.now(), environment: [:], home: nil, projectRoot: nil, purpose: .serve))
configuration.leaseSeconds = lease
configuration.grace = .seconds(5)
configuration.longestSleep = .seconds(1)
let executor = AppendingExecutor(store: store, owner: owner, effects: option("effects"), gate: option("gate"))
let loop = ServeLoop(store: store, executor: executor, clock: clock, log: log, configuration: configuration, owner: owner)
let signals = SignalPipe(signals: [SIGTERM, SIGINT]) { _ in loop.stop() }
await loop.run()
signals?.cancel()
