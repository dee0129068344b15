import PieAutomations
import PieJSON
import Synchronization

/// `pie automations serve`: runs every automation's due ticks and queued runs until stopped.
///
/// Each pass (at start, at the next due time, when a run ends or a trigger source queues a run,
/// and at least once a minute) reloads changed automation files, interrupts runs whose process
/// died, renews this process's leases, claims due ticks, and starts the queued runs it may. Then
/// it sleeps until the earliest next due time, at most a minute: an idle `serve` wakes once a
/// minute. `stop()` (SIGTERM) stops taking work, lets running runs finish within the grace
/// period, then cancels them; what is still held is marked interrupted (and retried later).
public final class ServeLoop: Sendable {
    public struct Configuration: Sendable {
        public var directories: [(AutomationScope, String)]
        /// Validation context for the files (purpose `.serve`; its time is this loop's clock's).
        public var context: ValidationContext
        /// How long a run's lease lasts without a heartbeat (matters for holders on other hosts).
        public var leaseSeconds: Int64 = 300
        /// How long running runs may take to finish after `stop()`.
        public var grace: Duration = .seconds(30)
        /// The longest sleep between passes, whatever is due.
        public var longestSleep: Duration = .seconds(60)
        /// How long a run's outcome is offered again to a store that cannot be reached.
        public var finishRetry: Duration = .seconds(120)

        public init(directories: [(AutomationScope, String)], context: ValidationContext) {
            (self.directories, self.context) = (directories, context)
        }
    }

    let store: any AutomationStore
    let executor: any RunExecutor
    let clock: any SchedulerClock
    let log: ServeLog
    let configuration: Configuration
    let sources: [any TriggerSource]
    let owner: LeaseOwner
    let wake = WakeSignal()
    private let state = Mutex<(stopping: Bool, running: [RunID: Task<Void, Never>])>((false, [:]))

    public init(
        store: any AutomationStore, executor: any RunExecutor, clock: any SchedulerClock, log: ServeLog,
        configuration: Configuration, sources: [any TriggerSource] = [], owner: LeaseOwner = .current()
    ) {
        (self.store, self.executor, self.clock, self.log) = (store, executor, clock, log)
        (self.configuration, self.sources, self.owner) = (configuration, sources, owner)
    }

    /// Asks the loop to stop (SIGTERM): no new work; `run()` returns after the grace period.
    public func stop() {
        state.withLock { $0.stopping = true }
        wake.signal()
    }

    var isStopping: Bool { state.withLock { $0.stopping } }

    /// The runs executing now.
    public var runningRuns: [RunID] { state.withLock { Array($0.running.keys) } }

    /// Serves until `stop()`, then shuts down as described above.
    public func run() async {
        var catalog = AutomationCatalog(directories: configuration.directories, context: configuration.context)
        reload(&catalog)
        let sink = TriggerSink(store: store, clock: clock, wake: wake)
        let automations = catalog.entries.values.map(\.automation)
        for source in sources {
            do {
                try await source.start(automations: automations, sink: sink)
            } catch {
                log.log(.error, "trigger_source_failed", "the \(source.name) trigger source did not start: \(error)")
            }
        }
        log.log(
            .info, "serve_started", "serving \(catalog.entries.count) automations from \(store.location)",
            [("pid", .integer(Int(owner.pid))), ("store", .string(store.location))])
        var due: [String: Instant] = [:]
        var exhausted: Set<String> = []
        while !isStopping {
            let now = clock.now()
            if catalog.hasChanged() {
                reload(&catalog)
                (due, exhausted) = ([:], [])
                for source in sources { await source.reload(automations: catalog.entries.values.map(\.automation)) }
            }
            recover(now: now)
            heartbeat(now: now)
            var storeFailed = false
            for entry in catalog.entries.values {
                let file = entry.automation.path
                guard let trigger = entry.clock, !exhausted.contains(file), due[file].map({ $0 <= now }) ?? true else { continue }
                switch claimTicks(entry.automation, trigger: trigger, now: now) {
                case .next(let next): due[file] = next
                case .never:
                    exhausted.insert(file)
                    due[file] = nil
                case .storeFailed:
                    // Its due time stays: the next pass tries again.
                    storeFailed = true
                }
            }
            if !startQueued(now: now, catalog: catalog) { storeFailed = true }
            if storeFailed {
                // The store could not be reached (a database restarting): look again in a second of
                // real time, whatever the clock says, so nothing due waits for the next tick.
                await wake.wait(for: Self.storeRetry)
                continue
            }
            let files = Array(catalog.entries.keys)
            var wakeAt = Instant(secondsSinceEpoch: now.secondsSinceEpoch + 60)
            if let earliest = due.values.min() { wakeAt = min(wakeAt, earliest) }
            if let queued = earliestQueued(files: files), queued > now { wakeAt = min(wakeAt, queued) }
            // While runs go on, their leases are renewed at least three times per lease.
            if !runningRuns.isEmpty {
                wakeAt = min(wakeAt, Instant(secondsSinceEpoch: now.secondsSinceEpoch + max(1, configuration.leaseSeconds / 3)))
            }
            await sleep(until: wakeAt, catalog: catalog)
        }
        await shutdown()
    }

    /// Waits until `wakeAt` on the clock, a wake signal, a changed automation file, or
    /// `longestSleep` of real time, whichever comes first. With the system clock that is one wait;
    /// a clock that asks to be looked at again sooner (the test clock) costs a clock read and a
    /// few `stat`s per look, not a pass.
    private func sleep(until wakeAt: Instant, catalog: AutomationCatalog) async {
        let realClock = ContinuousClock()
        let started = realClock.now
        while !isStopping {
            let remaining = configuration.longestSleep - (realClock.now - started)
            guard remaining > .zero else { return }
            if await wake.wait(for: min(clock.delay(until: wakeAt), remaining)) { return }
            if clock.now() >= wakeAt || catalog.hasChanged() { return }
        }
    }

    // MARK: - One pass

    private func reload(_ catalog: inout AutomationCatalog) {
        let issues = catalog.load()
        for issue in issues {
            log.log(
                issue.severity == .error ? .error : .warning, "automation_invalid",
                issue.description + (issue.severity == .error ? " (this automation is not served; the others are)" : ""),
                [("file", .string(issue.file))] + (issue.field.map { [("field", .string($0))] } ?? []))
        }
        let now = clock.now()
        for entry in catalog.entries.values {
            do {
                try store.register(entry.automation, fileHash: entry.fileHash, now: now)
            } catch {
                log.log(.error, "store_failed", error.description, [("automation", .string(entry.automation.id.rawValue))])
            }
        }
        log.log(.info, "automations_loaded", "\(catalog.entries.count) automations loaded, \(issues.filter { $0.severity == .error }.count) files refused")
    }

    private func recover(now: Instant) {
        do {
            for (run, retry) in try store.recoverAbandoned(now: now) {
                log.log(
                    .warning, "run_interrupted", run.reason ?? "interrupted",
                    runFields(run) + (retry.map { [("retry", .integer(Int($0.rawValue)))] } ?? []))
            }
        } catch {
            log.log(.error, "store_failed", error.description)
        }
    }

    private func heartbeat(now: Instant) {
        do {
            let replaced = try store.heartbeat(owner: owner, now: now, leaseSeconds: configuration.leaseSeconds)
            guard !replaced.isEmpty else { return }
            let tasks = state.withLock { state in replaced.keys.compactMap { state.running[$0] } }
            for task in tasks { task.cancel() }
        } catch {
            log.log(.error, "store_failed", error.description)
        }
    }

    /// What one look at an automation's due ticks found.
    private enum TickLook {
        case next(Instant)
        /// It will not fire again (a past `at`).
        case never
        case storeFailed
    }

    /// How soon a pass whose store operations failed is tried again, in real time.
    static let storeRetry: Duration = .seconds(1)

    /// Claims the automation's due ticks; returns its next due time.
    private func claimTicks(_ automation: Automation, trigger: ClockTrigger, now: Instant) -> TickLook {
        do {
            let claim = try store.claimDueTicks(automation, trigger: trigger, now: now)
            let fields: [(String, JSONValue)] = [("automation", .string(automation.id.rawValue))]
            for id in claim.queued { log.log(.info, "run_queued", "tick queued", fields + [("run", .integer(Int(id.rawValue)))]) }
            for id in claim.skipped {
                log.log(.info, "run_skipped", "tick skipped (overlap)", fields + [("run", .integer(Int(id.rawValue)))])
            }
            if !claim.replacing.isEmpty {
                // Runs this process holds stop now; another holder learns it at its next heartbeat.
                let tasks = state.withLock { state in claim.replacing.compactMap { state.running[$0] } }
                for task in tasks { task.cancel() }
            }
            if claim.missed > 0 {
                log.log(
                    .info, "ticks_missed",
                    "\(claim.missed) ticks passed while no scheduler ran (catch_up = \(automation.run.catchUp.rawValue))",
                    fields + [("missed", .integer(claim.missed))])
            }
            return claim.nextDue.map(TickLook.next) ?? .never
        } catch {
            log.log(.error, "store_failed", error.description, [("automation", .string(automation.id.rawValue))])
            return .storeFailed
        }
    }

    private func earliestQueued(files: [String]) -> Instant? {
        do { return try store.earliestQueued(files: files) } catch {
            log.log(.error, "store_failed", error.description)
            return nil
        }
    }

    /// Starts every queued run this process may; false when the store failed.
    private func startQueued(now: Instant, catalog: AutomationCatalog) -> Bool {
        let files = Array(catalog.entries.keys)
        while !isStopping {
            let claimed: RunRecord?
            do {
                claimed = try store.claimNext(owner: owner, now: now, leaseSeconds: configuration.leaseSeconds, files: files)
            } catch {
                log.log(.error, "store_failed", error.description)
                return false
            }
            guard let run = claimed else { return true }
            guard let automation = catalog.entries[run.automationFile]?.automation else {
                let outcome = RunOutcome(state: .failed, reason: "its automation file \(run.automationFile) is no longer loaded")
                state.withLock { state in state.running[run.id] = Task { [self] in await record(run, outcome) } }
                continue
            }
            launch(run, automation)
        }
        return true
    }

    private func launch(_ run: RunRecord, _ automation: Automation) {
        log.log(.info, "run_started", "run \(run.id) of \(automation.id) started", runFields(run))
        state.withLock { state in
            state.running[run.id] = Task { [self] in
                let outcome = await executor.execute(run, of: automation)
                await record(run, outcome)
            }
        }
    }

    private func record(_ run: RunRecord, _ outcome: RunOutcome) async {
        var outcome = outcome
        if outcome.state == .interrupted, isStopping {
            outcome.reason = "serve was stopped (SIGTERM) and the run did not finish within the grace period"
        }
        // A store that cannot be reached (a PostgreSQL server restarting) gets the outcome again
        // until it takes it or the lease is lost; the run keeps its lease meanwhile.
        let realClock = ContinuousClock()
        let giveUp = realClock.now + configuration.finishRetry
        while true {
            do {
                let result = try store.finish(run.id, owner: owner, generation: run.leaseGeneration, outcome: outcome, now: clock.now())
                var ended = run
                ended.state = outcome.state
                var fields = runFields(ended) + [("tokens", .integer(outcome.tokens)), ("cost", .number(outcome.cost))]
                if let session = outcome.sessionID { fields.append(("session", .string(session))) }
                if let retry = result.retry { fields.append(("retry", .integer(Int(retry.rawValue)))) }
                if result.recorded {
                    let level: ServeLog.Level = outcome.state == .succeeded ? .info : .warning
                    log.log(level, "run_finished", outcome.reason ?? "run \(run.id) \(outcome.state.rawValue)", fields)
                } else {
                    log.log(.warning, "run_lost_lease", "run \(run.id) ended after its lease was taken; its outcome is not recorded", fields)
                }
                break
            } catch {
                log.log(.error, "store_failed", error.description, runFields(run))
                guard realClock.now < giveUp else { break }
                // Detached: a run task cancelled by `overlap = replace` still waits between tries.
                await Task.detached { try? await Task.sleep(for: .milliseconds(500)) }.value
            }
        }
        _ = state.withLock { $0.running.removeValue(forKey: run.id) }
        wake.signal()
    }

    private func runFields(_ run: RunRecord) -> [(String, JSONValue)] {
        [
            ("automation", .string(run.automationID)), ("run", .integer(Int(run.id.rawValue))),
            ("attempt", .integer(run.attempt)), ("state", .string(run.state.rawValue)),
            ("trigger", .string(run.trigger.rawValue)),
        ]
    }

    // MARK: - Shutdown

    private func shutdown() async {
        for source in sources { await source.stop() }
        let waiting = runningRuns.count
        log.log(.info, "serve_stopping", "no new runs; waiting up to \(configuration.grace) for \(waiting) running runs")
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.grace
        while !runningRuns.isEmpty, clock.now < deadline {
            await wake.wait(for: min(deadline - clock.now, .seconds(1)))
        }
        let late = state.withLock { Array($0.running.values) }
        for task in late { task.cancel() }
        // Cancelled runs record themselves as interrupted; a run that does not return is marked below.
        let cancelDeadline = clock.now + .seconds(10)
        while !runningRuns.isEmpty, clock.now < cancelDeadline {
            await wake.wait(for: .milliseconds(100))
        }
        do {
            let held = try store.interruptHeld(
                owner: owner, reason: "serve was stopped (SIGTERM) and the run did not end within the grace period",
                now: self.clock.now())
            if !held.isEmpty { log.log(.warning, "runs_interrupted", "\(held.count) runs marked interrupted at shutdown") }
        } catch {
            log.log(.error, "store_failed", error.description)
        }
        log.log(.info, "serve_stopped", "stopped")
    }
}
