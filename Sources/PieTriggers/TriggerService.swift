import PieAutomations
import Synchronization

/// The event-driven triggers of automations: file triggers (one inotify watcher for all) and
/// command probes (one task each). The scheduler creates one, calls `start`, hands it the loaded
/// automations with `update(automations:)` (again whenever the files are reloaded) and `stop`s
/// it on shutdown; fires and notices arrive at its `TriggerSink`. Time-based and webhook
/// triggers are not its business and are ignored, as are disabled automations.
public final class TriggerService: Sendable {
    private struct State {
        var watcher: FileWatcher?
        var targets: Set<FileTarget> = []
        var probes: [Probe] = []
        var started = false
    }

    private let sink: any TriggerSink
    private let clock: any TriggerClock
    private let home: String?
    private let scheduler: ProbeScheduler
    private let state = Mutex(State())

    /// `home` expands a file trigger's `~` (the loader has normally done so already).
    public init(sink: any TriggerSink, probes: any ProbeRunner, clock: any TriggerClock = SystemTriggerClock(), home: String?) {
        (self.sink, self.clock, self.home) = (sink, clock, home)
        scheduler = ProbeScheduler(runner: probes, clock: clock, sink: sink)
    }

    /// Opens the inotify descriptor and starts the watcher thread and the probes of the
    /// automations given so far; returns when their files are watched. Starting a started service
    /// does nothing.
    public func start() async throws(TriggerError) {
        let alreadyStarted = state.withLock { state in
            defer { state.started = true }
            return state.started
        }
        guard !alreadyStarted else { return }
        let watcher: FileWatcher
        do throws(TriggerError) {
            watcher = try FileWatcher(clock: clock, sink: sink)
            try watcher.start()
        } catch {
            state.withLock { $0.started = false }
            throw error
        }
        // An `update` racing with this call finds `started` set and no watcher yet; it stored its
        // automations first, so they are read here.
        let targets = state.withLock { state in
            state.watcher = watcher
            return state.targets
        }
        await watcher.update(targets)
        // Read again: an `update` while the watches were being added may have changed them.
        scheduler.update(state.withLock { $0.probes })
    }

    /// The automations whose triggers run from now on. Unchanged triggers keep their state (a
    /// watched file's last known state, a probe's last outcome); new ones start, removed ones stop.
    /// Returns when the file watches are in place (a change after it returns fires), or at once
    /// before `start`. Calls are meant to come one after another (a reload after a reload).
    public func update(automations: [Automation]) async {
        var targets: Set<FileTarget> = []
        var probes: [Probe] = []
        for automation in automations where automation.enabled {
            if case .file(let path, _) = automation.trigger {
                guard let target = FileTarget(automation, home: home) else {
                    sink.report(
                        TriggerNotice(
                            automation: automation.id,
                            kind: .watchFailed(directory: path, reason: "not an absolute path (nor ~/…)"), instant: clock.now()))
                    continue
                }
                targets.insert(target)
            }
            if let probe = Probe(automation) { probes.append(probe) }
        }
        let (watcher, started) = state.withLock { state in
            (state.targets, state.probes) = (targets, probes)
            return (state.watcher, state.started)
        }
        guard started else { return }
        scheduler.update(probes)
        await watcher?.update(targets)
    }

    /// Stops watching and probing; returns when nothing can fire any more (a running probe is
    /// killed). A stopped service can be started again.
    public func stop() async {
        let watcher = state.withLock { state in
            defer { (state.watcher, state.started) = (nil, false) }
            return state.watcher
        }
        await scheduler.stop()
        await watcher?.stop()
    }
}
