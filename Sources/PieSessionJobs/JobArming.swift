import PieAutomations
import PieScheduler

/// When each clock job (cron, `at`, `every`) fires next, and which are due. Jobs are armed from
/// the time the session opens (or the job is added): ticks that passed while the session was
/// closed are not run afterwards (no backfill), and after a tick the next one is counted from
/// the time it was seen, so a session that slept through several ticks runs one.
public struct JobArming: Sendable {
    struct Armed: Sendable {
        var job: SessionJob
        var clock: ClockTrigger
        var anchor: Instant
        var next: Instant
    }

    /// A clock job that fired, and the tick it fired for.
    public struct Tick: Sendable, Equatable {
        public var job: SessionJob
        public var instant: Instant
    }

    private var armed: [String: Armed] = [:]
    /// `at` jobs whose time passed before they could fire (the session was closed): reported
    /// once by `arm`, for the caller to record and show.
    public private(set) var missed: [SessionJob] = []

    public init() {}

    /// Arms the enabled clock jobs of `jobs` at `now`; a job armed before keeps its next tick.
    /// Event jobs (file, command) are not the clock's business.
    public mutating func arm(_ jobs: [SessionJob], now: Instant, rules: SessionJobRules) {
        var armed: [String: Armed] = [:]
        missed = []
        for job in jobs where job.enabled {
            let clock: ClockTrigger
            switch job.trigger {
            case .cron(let expression, let timezone):
                guard let made = try? rules.cron(expression, timezone: timezone) else { continue }
                clock = .cron(made.1, made.2)
            case .at(let instant, _):
                guard job.firedAt == nil else { continue }
                guard instant >= now || self.armed[job.id] != nil else {
                    missed.append(job)
                    continue
                }
                clock = .at(instant)
            case .every(let interval):
                clock = .every(seconds: interval.seconds)
            case .file, .command, .webhook, .mcp:
                continue
            }
            if let previous = self.armed[job.id], previous.job.trigger == job.trigger {
                armed[job.id] = Armed(job: job, clock: clock, anchor: previous.anchor, next: previous.next)
                continue
            }
            let at: Instant? = if case .at(let instant) = clock { instant } else { clock.next(after: now, anchor: now) }
            guard let next = at else { continue }
            armed[job.id] = Armed(job: job, clock: clock, anchor: now, next: next)
        }
        self.armed = armed
    }

    /// The jobs due at `now`, each once, in id order; each is re-armed after `now` (an `at` job
    /// is disarmed).
    public mutating func due(at now: Instant) -> [Tick] {
        var ticks: [Tick] = []
        for id in armed.keys.sorted() {
            guard var entry = armed[id], entry.next <= now else { continue }
            ticks.append(Tick(job: entry.job, instant: entry.next))
            if case .at = entry.clock {
                armed[id] = nil
                continue
            }
            guard let next = entry.clock.next(after: now, anchor: entry.anchor) else {
                armed[id] = nil
                continue
            }
            entry.next = next
            armed[id] = entry
        }
        return ticks
    }

    /// The earliest next tick, if any clock job is armed.
    public var nextWake: Instant? { armed.values.map(\.next).min() }

    /// The next tick of a job, for `/cron list`.
    public func next(of id: String) -> Instant? { armed[id]?.next }

    public var isEmpty: Bool { armed.isEmpty }
}
