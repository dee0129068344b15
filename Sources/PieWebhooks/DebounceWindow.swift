import PieAutomations

/// A burst of deliveries becomes one run. The first delivery queues a run due `debounce` after
/// it; every delivery that arrives while that run is still queued (not started) joins it instead
/// of queueing another. The due time is not pushed back by later deliveries, so a steady stream
/// still gets a run at least every `debounce`, and the first delivery waits at most that long.
public struct DebounceWindow: Sendable, Hashable {
    public let seconds: Int64

    public init(seconds: Int64) { self.seconds = max(0, seconds) }

    public init(_ duration: AutomationDuration?) { self.init(seconds: duration?.seconds ?? 0) }

    /// A run of the automation queued by an earlier delivery and not yet started.
    public struct PendingRun: Sendable, Hashable {
        public var runID: String
        public var dueAt: Instant

        public init(runID: String, dueAt: Instant) { (self.runID, self.dueAt) = (runID, dueAt) }
    }

    public enum Decision: Sendable, Hashable {
        /// Queue a new run, due at this instant.
        case queue(dueAt: Instant)
        /// Add the delivery to this pending run.
        case coalesce(runID: String)
    }

    /// What a delivery received at `now` does, given the automation's pending webhook run (nil
    /// when none is queued). Without a debounce every delivery queues its own run, due now.
    public func decide(now: Instant, pending: PendingRun?) -> Decision {
        guard seconds > 0 else { return .queue(dueAt: now) }
        if let pending, now < pending.dueAt { return .coalesce(runID: pending.runID) }
        return .queue(dueAt: Instant(secondsSinceEpoch: now.secondsSinceEpoch + seconds))
    }
}
