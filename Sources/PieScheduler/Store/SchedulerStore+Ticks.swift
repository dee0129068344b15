import PieAutomations
import PieSystem

/// Time-based ticks: each (automation, tick) is claimed once, by whichever process looks first.
extension SchedulerStore {
    /// Records the automation as loaded (its file's hash and whether it is enabled); creates its
    /// row, anchored at `now`, the first time.
    @discardableResult
    public func register(_ automation: Automation, fileHash: String, now: Instant) throws(StoreError) -> AutomationState {
        try write { db throws(StoreQueryError) in try Self.ensure(automation, fileHash: fileHash, now: now, db: db) }
    }

    public func automationState(file: String) throws(StoreError) -> AutomationState? {
        try read { db throws(StoreQueryError) in try Self.state(file: file, db: db) }
    }

    /// Claims every tick of `automation` due by `now` that no process claimed yet, in one
    /// transaction: reads the last claimed tick, plans with `catch_up`, inserts the runs (the
    /// UNIQUE (automation, tick, attempt) constraint is the backstop) and moves the last tick on.
    /// A disabled automation's ticks pass without runs, so enabling it does not catch up.
    public func claimDueTicks(_ automation: Automation, trigger: ClockTrigger, now: Instant) throws(StoreError) -> TickClaim {
        try write { db throws(StoreQueryError) -> TickClaim in
            let state = try Self.ensure(automation, fileHash: nil, now: now, db: db)
            let catchUp = automation.enabled ? automation.run.catchUp : .none
            var plan = trigger.plan(lastTick: state.lastTick, anchor: state.anchor, now: now, catchUp: catchUp)
            if !automation.enabled { plan.fire = [] }
            var claim = TickClaim(missed: plan.missed)
            if !plan.fire.isEmpty, let kind = TriggerKind(clockTrigger: automation.trigger.kind) {
                let active = try Self.activeRun(file: automation.path, db: db)
                for tick in plan.fire {
                    let run = NewRun(automation, trigger: kind, tick: tick, scheduledAt: tick, notBefore: tick)
                    _ = try Self.admit(run, overlap: automation.run.overlap, active: active, now: now, db: db, claim: &claim)
                }
            }
            claim.nextDue = trigger.next(after: max(now, plan.latestDue ?? now), anchor: state.anchor)
            try db.execute(
                "UPDATE automations SET last_tick = COALESCE(?, last_tick), next_due = ? WHERE file = ?",
                [plan.latestDue?.secondsSinceEpoch, claim.nextDue?.secondsSinceEpoch, automation.path])
            return claim
        }
    }

    /// Starts a run of `automation` now for `owner` (`pie automations run ID`): inserted already
    /// running and leased in one transaction, so no `serve` can take it first. With `consuming`,
    /// the run stands for one tick (`startOnce`); nil when it could not.
    public func startManual(
        _ automation: Automation, owner: LeaseOwner, now: Instant, leaseSeconds: Int64, consuming trigger: ClockTrigger?
    ) throws(StoreError) -> RunRecord? {
        if let trigger {
            guard case .started(let run) = try startOnce(automation, owner: owner, now: now, leaseSeconds: leaseSeconds, trigger: trigger)
            else { return nil }
            return run
        }
        return try write { db throws(StoreQueryError) -> RunRecord? in
            _ = try Self.ensure(automation, fileHash: nil, now: now, db: db)
            let run = NewRun(automation, trigger: .manual, tick: nil, scheduledAt: now, notBefore: now)
            guard let id = try Self.insert(run, now: now, db: db) else { return nil }
            return try Self.start(id, owner: owner, now: now, leaseSeconds: leaseSeconds, db: db)
        }
    }

    /// `pie automations run ID --once`: a run that stands for one tick of the automation, which
    /// a scheduler then does not run again: the newest tick due within `onceWindow` before now
    /// (what a Kubernetes CronJob started for that tick means), else the next one. When that tick
    /// was claimed already (by a `serve` worker's look or another `--once`), its queued retry is
    /// taken once its backoff has passed; otherwise nothing runs.
    public func startOnce(
        _ automation: Automation, owner: LeaseOwner, now: Instant, leaseSeconds: Int64, trigger: ClockTrigger
    ) throws(StoreError) -> OnceStart {
        try write { db throws(StoreQueryError) -> OnceStart in
            let state = try Self.ensure(automation, fileHash: nil, now: now, db: db)
            var run = NewRun(automation, trigger: .manual, tick: nil, scheduledAt: now, notBefore: now)
            if let due = Self.dueTick(trigger, anchor: state.anchor, now: now) {
                if let last = state.lastTick, last >= due {
                    return try Self.takeRetry(automation.path, tick: due, owner: owner, now: now, leaseSeconds: leaseSeconds, db: db)
                }
                run.tick = due
            } else {
                run.tick = trigger.next(after: max(now, state.lastTick ?? now), anchor: state.anchor)
            }
            if let tick = run.tick {
                let following = trigger.next(after: max(now, tick), anchor: state.anchor)
                try db.execute(
                    "UPDATE automations SET last_tick = ?, next_due = ? WHERE file = ?",
                    [tick.secondsSinceEpoch, following?.secondsSinceEpoch, automation.path])
            }
            guard let id = try Self.insert(run, now: now, db: db) else { return .held }
            return try Self.start(id, owner: owner, now: now, leaseSeconds: leaseSeconds, db: db).map(OnceStart.started) ?? .held
        }
    }

    /// The queued retry of `tick`, started for `owner` when its backoff has passed and no run of
    /// the automation is going.
    static func takeRetry(
        _ file: String, tick: Instant, owner: LeaseOwner, now: Instant, leaseSeconds: Int64, db: any StoreSession
    ) throws(StoreQueryError) -> OnceStart {
        guard
            let retry = try runs(
                where: "automation_file = ? AND tick = ? AND state = 'queued' ORDER BY attempt DESC LIMIT 1",
                [file, tick.secondsSinceEpoch], db: db
            ).first
        else { return .held }
        guard retry.notBefore <= now else { return .retryAt(retry.notBefore) }
        let going = try db.first(
            "SELECT 1 FROM runs WHERE automation_file = ? AND state IN ('running', 'needs_approval')", [file])
        guard going == nil else { return .held }
        return try start(retry.id, owner: owner, now: now, leaseSeconds: leaseSeconds, db: db).map(OnceStart.started) ?? .held
    }

    /// How long after its time a tick still counts as due for `--once` (a CronJob's pod may start late).
    public static let onceWindow: Int64 = 600

    /// The newest tick in (now − `onceWindow`, now], if any.
    static func dueTick(_ trigger: ClockTrigger, anchor: Instant, now: Instant) -> Instant? {
        var cursor = Instant(secondsSinceEpoch: now.secondsSinceEpoch - onceWindow)
        var newest: Instant?
        while let tick = trigger.next(after: cursor, anchor: anchor), tick <= now {
            newest = tick
            cursor = tick
        }
        return newest
    }

    /// Remembers the session `session = "continue"` runs of the automation resume.
    public func setSessionID(_ sessionID: String, file: String) throws(StoreError) {
        _ = try write { db throws(StoreQueryError) in
            try db.execute("UPDATE automations SET session_id = ? WHERE file = ?", [sessionID, file])
        }
    }
}
