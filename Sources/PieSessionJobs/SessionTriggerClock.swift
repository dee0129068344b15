import PieAutomations
import PieScheduler
import PieTriggers

/// PieTriggers' clock over the session's `SchedulerClock`, so command probes and file events
/// follow the same (injected, in tests) time as the cron jobs.
struct SessionTriggerClock: TriggerClock {
    let clock: any SchedulerClock

    func now() -> Instant {
        clock.now()
    }

    func sleep(until deadline: Instant) async -> Bool {
        while !Task.isCancelled {
            let delay = clock.delay(until: deadline)
            if delay == .zero { return true }
            // At most a minute at a time, so a wall-clock step is noticed.
            do {
                try await Task.sleep(for: min(delay, .seconds(60)))
            } catch {
                return false
            }
        }
        return false
    }
}
