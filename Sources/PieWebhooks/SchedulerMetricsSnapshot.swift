import PieAutomations

/// The scheduler's state at one moment, as /metrics reports it.
public struct SchedulerMetricsSnapshot: Sendable, Equatable {
    /// The run states of issue 12, in the order they are reported; each is reported, zero or not,
    /// so a dashboard's series do not appear and vanish.
    public static let runStates = [
        "queued", "running", "succeeded", "failed", "timed_out", "interrupted", "skipped", "needs_approval",
    ]

    /// Runs in the store by state (a state missing here is reported as 0; a state not in
    /// `runStates` is reported too, after them).
    public var runsByState: [String: Int]
    /// Durations of finished runs.
    public var runDurations: DurationHistogram
    /// Runs queued and not yet started.
    public var queueDepth: Int
    /// Each enabled automation's next due time (absent: nothing due, e.g. a webhook trigger).
    public var nextDue: [AutomationID: Instant]

    public init(
        runsByState: [String: Int], runDurations: DurationHistogram, queueDepth: Int, nextDue: [AutomationID: Instant]
    ) {
        (self.runsByState, self.runDurations, self.queueDepth, self.nextDue) =
            (runsByState, runDurations, queueDepth, nextDue)
    }
}
