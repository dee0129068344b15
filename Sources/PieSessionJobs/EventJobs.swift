import PieAutomations
import PiePolicy
import PieScheduler
import PieSandbox
import PieTriggers
import Synchronization

/// A session's file and command triggers, run by PieTriggers' service as `serve` runs an
/// automation's: file changes seen through inotify (no polling), probes run in the sandbox under
/// the session's policy preset and the project's policy file, audited; no model call per check.
/// A fire queues the job's prompt on the `TurnQueue`.
public final class EventJobs: Sendable {
    private let store: SessionJobStore
    private let service: TriggerService
    private let state = Mutex<(preset: PolicyPreset, started: Bool)>((.balanced, false))
    private let notice: @Sendable (String) -> Void
    /// The last update requested: each waits for the one before, so the service sees them in order.
    private let updates = Mutex<Task<Void, Never>?>(nil)

    public init(
        store: SessionJobStore, queue: TurnQueue, clock: any SchedulerClock, environment: [String: String],
        projectRoot: String, services: SandboxServices, notice: @escaping @Sendable (String) -> Void
    ) {
        self.store = store
        self.notice = notice
        let sink = QueueSink(store: store, queue: queue, notice: notice)
        service = TriggerService(
            sink: sink, probes: SandboxProbeRunner(projectRoot: projectRoot, environment: environment, services: services),
            clock: SessionTriggerClock(clock: clock), home: environment["HOME"])
    }

    /// The policy preset probes run under: the session's.
    public func setPreset(_ preset: PolicyPreset) {
        state.withLock { $0.preset = preset }
    }

    /// Brings the watched files and probes in line with the store (after a change, or when a
    /// session opens); each request runs after the one before, as the service needs.
    public func requestUpdate() {
        updates.withLock { last in
            let previous = last
            last = Task {
                await previous?.value
                await self.update()
            }
        }
    }

    /// Returns when every update requested so far is done.
    public func settled() async {
        await updates.withLock { $0 }?.value
    }

    /// Watches and probes the store's enabled file and command jobs from now on; starts the
    /// service the first time there are any.
    private func update() async {
        let snapshot = store.snapshot
        let (preset, started) = state.withLock { ($0.preset, $0.started) }
        let automations = snapshot.jobs.compactMap { job in Self.automation(job, path: snapshot.files?.triggers ?? "", preset: preset) }
        await service.update(automations: automations)
        guard !started, !automations.isEmpty else { return }
        state.withLock { $0.started = true }
        do throws(TriggerError) {
            try await service.start()
        } catch {
            state.withLock { $0.started = false }
            notice("file and command triggers cannot run: \(error)")
        }
    }

    public func stop() async {
        await settled()
        await service.stop()
        state.withLock { $0.started = false }
    }

    static func automation(_ job: SessionJob, path: String, preset: PolicyPreset) -> Automation? {
        guard job.enabled, let id = AutomationID(job.id), let model = ModelReference("session:jobs") else { return nil }
        switch job.trigger {
        case .file, .command:
            var automation = Automation(id: id, scope: .project, path: path, prompt: job.prompt, model: model, trigger: job.trigger)
            automation.toolPolicyPreset = preset
            return automation
        default:
            return nil
        }
    }
}

/// Hands fired file and command triggers to the turn queue; a one-shot job is turned off.
private struct QueueSink: PieTriggers.TriggerSink {
    let store: SessionJobStore
    let queue: TurnQueue
    let notice: @Sendable (String) -> Void

    func fire(_ event: TriggerEvent) {
        guard let job = store.snapshot.job(event.automation.rawValue), job.enabled else { return }
        let cause: String
        switch event.kind {
        case .file(let change, let path): cause = "\(path) \(change.rawValue)"
        case .command(let result): cause = "probe exited \(result.exitStatus.map(String.init) ?? "by signal")"
        }
        queue.offer(job, instant: event.instant, cause: cause)
        if store.snapshot.fireOnce(job.id) {
            do throws(SessionJobError) {
                try store.recordFired(job.id, at: event.instant)
            } catch {
                notice("\(job.id): \(error.description)")
            }
        }
    }

    func report(_ notice: TriggerNotice) {
        self.notice(notice.description)
    }
}
