import PieAutomations

/// Which due ticks of a time-based automation start runs now.
public struct TickPlan: Sendable, Equatable {
    /// The ticks to run, oldest first.
    public var fire: [Instant]
    /// Due ticks not run because of `catch_up` (missed while no scheduler ran).
    public var missed: Int
    /// The newest due tick, run or not: it becomes the automation's last tick.
    public var latestDue: Instant?

    public init(fire: [Instant], missed: Int, latestDue: Instant?) {
        (self.fire, self.missed, self.latestDue) = (fire, missed, latestDue)
    }

    /// A tick at most this many seconds old is on time, not missed: a wake may come a little late.
    public static let onTimeGrace: Int64 = 60
    /// `catch_up = all` runs at most this many missed ticks (the newest).
    public static let catchUpLimit = 100
    /// How far back a cron's missed ticks are walked (a week).
    static let longestWalkSeconds: Int64 = 7 * 86_400
}
