import Glibc
import PieAutomations

/// The scheduler's time, injected so tests drive it: what time it is, and how long to wait in
/// real time before a deadline on this clock may have come.
public protocol SchedulerClock: Sendable {
    func now() -> Instant
    /// The real time until `deadline` (zero when it has passed). The serve loop waits at most this
    /// long, and less when woken.
    func delay(until deadline: Instant) -> Duration
}

/// The system's wall clock (`CLOCK_REALTIME`): cron times are wall-clock times.
public struct SystemClock: SchedulerClock {
    public init() {}

    public func now() -> Instant {
        Instant(secondsSinceEpoch: Int64(time(nil)))
    }

    public func delay(until deadline: Instant) -> Duration {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let nanoseconds = (deadline.secondsSinceEpoch - Int64(spec.tv_sec)) * 1_000_000_000 - Int64(spec.tv_nsec)
        return nanoseconds > 0 ? .nanoseconds(nanoseconds) : .zero
    }
}
