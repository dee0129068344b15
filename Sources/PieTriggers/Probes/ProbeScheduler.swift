import PieAutomations
import Synchronization

/// Runs every command probe on its own task: once when it is added, then every interval by the
/// injected clock. An unchanged probe keeps its task and its last outcome across `update`; a
/// changed or removed one is cancelled (its running command is killed) and a changed one starts
/// afresh.
final class ProbeScheduler: Sendable {
    private struct Entry {
        var probe: Probe
        var task: Task<Void, Never>
    }

    private let runner: any ProbeRunner
    private let clock: any TriggerClock
    private let sink: any TriggerSink
    private let entries = Mutex<[AutomationID: Entry]>([:])

    init(runner: any ProbeRunner, clock: any TriggerClock, sink: any TriggerSink) {
        (self.runner, self.clock, self.sink) = (runner, clock, sink)
    }

    func update(_ probes: [Probe]) {
        let (runner, clock, sink) = (self.runner, self.clock, self.sink)
        let stale: [Task<Void, Never>] = entries.withLock { entries in
            let wanted = Dictionary(probes.map { ($0.automation, $0) }, uniquingKeysWith: { first, _ in first })
            var stale: [Task<Void, Never>] = []
            for (id, entry) in entries where wanted[id] != entry.probe {
                stale.append(entry.task)
                entries[id] = nil
            }
            for (id, probe) in wanted where entries[id] == nil {
                let task = Task { await Self.loop(probe, runner: runner, clock: clock, sink: sink) }
                entries[id] = Entry(probe: probe, task: task)
            }
            return stale
        }
        stale.forEach { $0.cancel() }
    }

    /// Cancels every probe and returns when none is running, so nothing fires after it returns.
    func stop() async {
        let tasks = entries.withLock { entries in
            defer { entries = [:] }
            return entries.values.map(\.task)
        }
        tasks.forEach { $0.cancel() }
        for task in tasks { await task.value }
    }

    private static func loop(_ probe: Probe, runner: any ProbeRunner, clock: any TriggerClock, sink: any TriggerSink) async {
        var tracker = ProbeTracker(fire: probe.fire)
        var due = clock.now()
        while !Task.isCancelled {
            let outcome = await runner.run(probe)
            // Replaced or stopped while it ran: its result belongs to no current trigger.
            if Task.isCancelled { return }
            let now = clock.now()
            switch outcome {
            case .ran(let result):
                let timedOut = TriggerNotice.Kind.probeTimedOut(milliseconds: result.timeoutMilliseconds)
                if result.timedOut, tracker.shouldReport(timedOut) {
                    sink.report(TriggerNotice(automation: probe.automation, kind: timedOut, instant: now))
                }
                if tracker.observe(result) {
                    sink.fire(TriggerEvent(automation: probe.automation, kind: .command(result), instant: now))
                }
            case .denied(let rule, let reason):
                let kind = TriggerNotice.Kind.probeDenied(rule: rule, reason: reason)
                if tracker.shouldReport(kind) { sink.report(TriggerNotice(automation: probe.automation, kind: kind, instant: now)) }
            case .notRun(let reason):
                let kind = TriggerNotice.Kind.probeNotRun(reason: reason)
                if tracker.shouldReport(kind) { sink.report(TriggerNotice(automation: probe.automation, kind: kind, instant: now)) }
            }
            // Missed intervals (a slow probe, a suspended machine) are skipped, not run in a burst.
            due = Instant(secondsSinceEpoch: due.secondsSinceEpoch + probe.every.seconds)
            if due <= now { due = Instant(secondsSinceEpoch: now.secondsSinceEpoch + probe.every.seconds) }
            guard await clock.sleep(until: due) else { return }
        }
    }
}
