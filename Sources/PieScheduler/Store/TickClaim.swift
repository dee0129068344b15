import PieAutomations

/// What one look at a time-based automation's due ticks did.
public struct TickClaim: Sendable, Equatable {
    /// Runs queued for due ticks.
    public var queued: [RunID] = []
    /// Runs recorded as skipped (`overlap = skip`) or replaced.
    public var skipped: [RunID] = []
    /// Due ticks passed over by `catch_up`.
    public var missed = 0
    /// The next tick after now; nil when the trigger will not fire again (a past `at`).
    public var nextDue: Instant?
    /// Running runs asked to stop because a new tick replaces them (`overlap = replace`).
    public var replacing: [RunID] = []
}

/// What `startOnce` (`pie automations run ID --once`) did.
public enum OnceStart: Sendable, Equatable {
    /// A run now holds the tick and is leased to the caller.
    case started(RunRecord)
    /// Another worker holds or ran the tick: nothing to do (exit 3).
    case held
    /// The tick's retry waits out its backoff until then (exit 75).
    case retryAt(Instant)
}
