/// The next fire times of a time-based trigger, for `pie automations next ID` (the scheduler
/// keeps its own state; this answers from the file and the clock alone).
public enum TriggerTimes {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// A file, command, webhook or MCP trigger: it fires on events, not on the clock.
        case notTimeBased(kind: String)
        case cron(CronError)
        case zone(TimeZoneError)

        public var description: String {
            switch self {
            case .notTimeBased(let kind): "a \(kind) trigger is not time-based: it fires on events, so it has no next time"
            case .cron(let error): error.description
            case .zone(let error): error.description
            }
        }
    }

    /// The zone a trigger's times are shown in: the cron trigger's zone, else the local one.
    public static func zone(of trigger: AutomationTrigger, environment: [String: String]) throws(Failure) -> TimeZoneRules {
        do throws(TimeZoneError) {
            if case .cron(_, let timezone?) = trigger { return try TimeZoneRules.named(timezone, environment: environment) }
            return try TimeZoneRules.local(environment: environment)
        } catch {
            throw .zone(error)
        }
    }

    /// Up to `count` fire times strictly after `after`: a cron trigger's next matches, an `at`
    /// trigger's one time while it is ahead, an `every` trigger's intervals counted from `after`
    /// (as a scheduler started at `after` would fire).
    public static func next(
        _ trigger: AutomationTrigger, after: Instant, count: Int, zone: TimeZoneRules
    ) throws(Failure) -> [Instant] {
        switch trigger {
        case .cron(let expression, _):
            do throws(CronError) {
                return try CronSchedule.parse(expression).nextTimes(after: after, count: count, in: zone)
            } catch {
                throw .cron(error)
            }
        case .at(let instant, _):
            return instant > after && count > 0 ? [instant] : []
        case .every(let interval):
            guard count > 0 else { return [] }
            return (1...count).map { Instant(secondsSinceEpoch: after.secondsSinceEpoch + Int64($0) * interval.seconds) }
        case .file, .command, .webhook, .mcp:
            throw .notTimeBased(kind: trigger.kind)
        }
    }
}
