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
