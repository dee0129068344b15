/// A point in time: whole seconds since 1970-01-01T00:00:00Z, leap seconds not counted (POSIX
/// time, as TZif files and the scheduler's store count). Cron resolves to minutes, so seconds are
/// enough, and an integer keeps the arithmetic of `CronSchedule.next` exact.
public struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since the Unix epoch, UTC.
    public var secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    public var description: String { "\(secondsSinceEpoch)" }
}
