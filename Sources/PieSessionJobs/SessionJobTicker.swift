import PieAutomations
import PieScheduler
import Synchronization

/// Fires a session's clock jobs on an injected clock: sleeps until the next tick (at most a minute
/// at a time, so a changed wall clock is noticed), queues each due job on the `TurnQueue`, and
/// re-arms when the jobs change. Tests drive it with their own clock and never wait through real
/// minutes.
public final class SessionJobTicker: Sendable {
    private let store: SessionJobStore
    private let clock: any SchedulerClock
    private let queue: TurnQueue
    /// A line for the user: a missed `at`, a one-shot job that could not be recorded.
    private let notice: @Sendable (String) -> Void
    private let arming = Mutex(JobArming())
    private let wake = WakeSignal()

    public init(store: SessionJobStore, clock: any SchedulerClock, queue: TurnQueue, notice: @escaping @Sendable (String) -> Void) {
        (self.store, self.clock, self.queue, self.notice) = (store, clock, queue, notice)
    }

    /// Arms the store's jobs now (after the session opened or a job changed) and wakes the loop.
    public func rearm() {
        let now = clock.now()
        let jobs = store.snapshot.jobs
        let missed = arming.withLock { arming in
            arming.arm(jobs, now: now, rules: store.rules)
            return arming.missed
        }
        for job in missed {
            notice("\(job.id) (\(job.triggerText)) passed while the session was closed; it does not run now (no backfill)")
            record(job.id, at: now)
        }
        wake.signal()
    }

    /// The next tick of a job, for `/cron list`.
    public func next(of id: String) -> Instant? {
        arming.withLock { $0.next(of: id) }
    }

    /// Queues what is due at the clock's time now; returns what was queued or skipped.
    @discardableResult
    public func fireDue() -> [JobArming.Tick] {
        let now = clock.now()
        let ticks = arming.withLock { $0.due(at: now) }
        for tick in ticks {
            queue.offer(tick.job, instant: tick.instant, cause: "tick \(RFC3339.format(tick.instant, in: .utc))")
            if case .at = tick.job.trigger { record(tick.job.id, at: tick.instant) }
        }
        return ticks
    }

    /// Runs until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            fireDue()
            let next = arming.withLock { $0.nextWake }
            let delay = next.map { clock.delay(until: $0) } ?? .seconds(60)
            await wake.wait(for: min(delay, .seconds(60)))
        }
    }

    private func record(_ id: String, at instant: Instant) {
        do throws(SessionJobError) {
            try store.recordFired(id, at: instant)
        } catch {
            notice("\(id): \(error.description)")
        }
    }
}
