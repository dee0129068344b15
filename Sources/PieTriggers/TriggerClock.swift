import Glibc
import PieAutomations

/// The time command probes are scheduled by, injected so tests step through minutes without
/// sleeping through them.
public protocol TriggerClock: Sendable {
    func now() -> Instant
    /// Returns when `deadline` has come (true), or false when the task was cancelled first.
    func sleep(until deadline: Instant) async -> Bool
}

/// The system's wall clock: probes follow the time the operator reads.
public struct SystemTriggerClock: TriggerClock {
    public init() {}

    public func now() -> Instant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Instant(secondsSinceEpoch: Int64(spec.tv_sec))
    }

    public func sleep(until deadline: Instant) async -> Bool {
        while !Task.isCancelled {
            let remaining = deadline.secondsSinceEpoch - now().secondsSinceEpoch
            if remaining <= 0 { return true }
            // At most a minute at a time, so a wall-clock step (NTP, suspend) is noticed.
            do {
                try await Task.sleep(for: .seconds(min(remaining, 60)))
            } catch {
                return false
            }
        }
        return false
    }
}
