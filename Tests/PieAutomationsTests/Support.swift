@testable import PieAutomations

/// Shared helpers: zones from the system's tzdata (never a copy: the tests read what pie reads)
/// and fire times rendered as RFC 3339, so expectations read like a calendar.
enum Fixture {
    static func zone(_ name: String) throws -> TimeZoneRules {
        try TimeZoneRules.named(name, environment: [:])
    }

    static func instant(_ text: String) throws -> Instant {
        try RFC3339.parse(text)
    }

    /// The next `count` fire times of `expression` after `from`, in `zone`'s local time.
    static func fireTimes(_ expression: String, after from: String, in zoneName: String = "UTC", count: Int = 5) throws -> [String] {
        let zone = try zone(zoneName)
        let schedule = try CronSchedule.parse(expression)
        return schedule.nextTimes(after: try instant(from), count: count, in: zone).map { RFC3339.format($0, in: zone) }
    }

    /// The error `parse` throws for `expression`, or nil when it parses.
    static func parseError(_ expression: String) -> CronError? {
        do {
            _ = try CronSchedule.parse(expression)
            return nil
        } catch {
            return error
        }
    }
}
