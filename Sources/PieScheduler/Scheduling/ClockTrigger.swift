import PieAutomations

/// A time-based trigger made ready to compute with: the cron expression parsed and its zone's
/// rules read once, when the automation is loaded, not at every wake.
public enum ClockTrigger: Sendable {
    case cron(CronSchedule, TimeZoneRules)
    case at(Instant)
    /// Every `seconds`, counted from the automation's anchor (when the store first saw it).
    case every(seconds: Int64)

    /// Nil for event triggers (file, command, webhook, MCP), which other sources start.
    public static func make(_ trigger: AutomationTrigger, environment: [String: String]) throws(TriggerTimes.Failure) -> ClockTrigger? {
        var zones: [String: TimeZoneRules] = [:]
        return try make(trigger, environment: environment, zones: &zones)
    }

    /// The same, reading each time zone once for many automations: `zones` keeps the rules read
    /// so far by zone name (`local` for the local zone).
    public static func make(
        _ trigger: AutomationTrigger, environment: [String: String], zones: inout [String: TimeZoneRules]
    ) throws(TriggerTimes.Failure) -> ClockTrigger? {
        switch trigger {
        case .cron(let expression, let timezone):
            let key = timezone ?? "local"
            let zone: TimeZoneRules
            if let known = zones[key] {
                zone = known
            } else {
                zone = try TriggerTimes.zone(of: trigger, environment: environment)
                zones[key] = zone
            }
            do throws(CronError) {
                return .cron(try CronSchedule.parse(expression), zone)
            } catch {
                throw .cron(error)
            }
        case .at(let instant, _): return .at(instant)
        case .every(let interval): return .every(seconds: interval.seconds)
        case .file, .command, .webhook, .mcp: return nil
        }
    }

    /// The first tick strictly after `after`.
    public func next(after: Instant, anchor: Instant) -> Instant? {
        switch self {
        case .cron(let schedule, let zone): return schedule.next(after: after, in: zone)
        case .at(let instant): return instant > after ? instant : nil
        case .every(let seconds):
            let passed = max(0, after.secondsSinceEpoch - anchor.secondsSinceEpoch)
            return Instant(secondsSinceEpoch: anchor.secondsSinceEpoch + (passed / seconds + 1) * seconds)
        }
    }

    /// Where the search for due ticks starts when nothing has fired yet: a cron or `every`
    /// automation does not fire for times before the scheduler first saw it; an `at` fires even
    /// when it was first seen after its time (then `catch_up` decides).
    func searchStart(lastTick: Instant?, anchor: Instant) -> Instant {
        if let lastTick { return lastTick }
        if case .at = self { return Instant(secondsSinceEpoch: Int64.min / 2) }
        return anchor
    }

    /// Every tick in (last tick, now], reduced by `catchUp`.
    public func plan(lastTick: Instant?, anchor: Instant, now: Instant, catchUp: RunSettings.CatchUp) -> TickPlan {
        let start = searchStart(lastTick: lastTick, anchor: anchor)
        let (due, count) = dueTicks(after: start, anchor: anchor, now: now)
        guard let latest = due.last else { return TickPlan(fire: [], missed: 0, latestDue: nil) }
        let onTime = now.secondsSinceEpoch - latest.secondsSinceEpoch <= TickPlan.onTimeGrace
        let fire: [Instant]
        switch catchUp {
        case .none: fire = onTime ? [latest] : []
        case .latest: fire = [latest]
        case .all: fire = Array(due.suffix(TickPlan.catchUpLimit))
        }
        return TickPlan(fire: fire, missed: count - fire.count, latestDue: latest)
    }

    /// The last `TickPlan.catchUpLimit` ticks in (start, now] and how many there are in all.
    private func dueTicks(after start: Instant, anchor: Instant, now: Instant) -> ([Instant], Int) {
        if case .every(let seconds) = self {
            guard let first = next(after: start, anchor: anchor), first <= now else { return ([], 0) }
            let count = Int((now.secondsSinceEpoch - first.secondsSinceEpoch) / seconds) + 1
            let kept = min(count, TickPlan.catchUpLimit)
            let last = first.secondsSinceEpoch + Int64(count - 1) * seconds
            return ((0..<kept).reversed().map { Instant(secondsSinceEpoch: last - Int64($0) * seconds) }, count)
        }
        var ticks: [Instant] = []
        var count = 0
        var cursor = start
        // A minutely cron after a year's downtime is half a million ticks: past this many, only the
        // last week is walked (the count of missed ticks is then a lower bound).
        if case .cron = self, now.secondsSinceEpoch - start.secondsSinceEpoch > TickPlan.longestWalkSeconds {
            cursor = Instant(secondsSinceEpoch: now.secondsSinceEpoch - TickPlan.longestWalkSeconds)
        }
        while let tick = next(after: cursor, anchor: anchor), tick <= now {
            count += 1
            ticks.append(tick)
            if ticks.count > TickPlan.catchUpLimit { ticks.removeFirst() }
            cursor = tick
        }
        return (ticks, count)
    }
}
