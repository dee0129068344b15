import PieAutomations
import PieSystem

/// Time-based ticks: each (automation, tick) is claimed once, by whichever process looks first.
extension SchedulerStore {
    /// Records the automation as loaded (its file's hash and whether it is enabled); creates its
    /// row, anchored at `now`, the first time.
    @discardableResult
    public func register(_ automation: Automation, fileHash: String, now: Instant) throws(StoreError) -> AutomationState {
        try write { db throws(SQLiteError) in try Self.ensure(automation, fileHash: fileHash, now: now, db: db) }
    }

    public func automationState(file: String) throws(StoreError) -> AutomationState? {
        try read { db throws(SQLiteError) in try Self.state(file: file, db: db) }
    }

    /// Claims every tick of `automation` due by `now` that no process claimed yet, in one
    /// transaction: reads the last claimed tick, plans with `catch_up`, inserts the runs (the
    /// UNIQUE (automation, tick, attempt) constraint is the backstop) and moves the last tick on.
    /// A disabled automation's ticks pass without runs, so enabling it does not catch up.
    public func claimDueTicks(_ automation: Automation, trigger: ClockTrigger, now: Instant) throws(StoreError) -> TickClaim {
        try write { db throws(SQLiteError) -> TickClaim in
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
    /// the run stands for the automation's next tick, which a scheduler then does not run again
    /// (`--once`); nil when another process claimed that tick first.
    public func startManual(
        _ automation: Automation, owner: LeaseOwner, now: Instant, leaseSeconds: Int64, consuming trigger: ClockTrigger? = nil
    ) throws(StoreError) -> RunRecord? {
        try write { db throws(SQLiteError) -> RunRecord? in
            let state = try Self.ensure(automation, fileHash: nil, now: now, db: db)
            var run = NewRun(automation, trigger: .manual, tick: nil, scheduledAt: now, notBefore: now)
            var following: Instant?
            if let trigger {
                run.tick = trigger.next(after: max(now, state.lastTick ?? now), anchor: state.anchor)
                following = run.tick.flatMap { trigger.next(after: $0, anchor: state.anchor) }
            }
            guard let id = try Self.insert(run, now: now, db: db), let queued = try Self.run(id, db: db) else { return nil }
            if let tick = run.tick {
                try db.execute(
                    "UPDATE automations SET last_tick = ?, next_due = ? WHERE file = ?",
                    [tick.secondsSinceEpoch, following?.secondsSinceEpoch, automation.path])
            }
            return try Self.start(queued, owner: owner, now: now, leaseSeconds: leaseSeconds, db: db)
        }
    }

    /// Remembers the session `session = "continue"` runs of the automation resume.
    public func setSessionID(_ sessionID: String, file: String) throws(StoreError) {
        try write { db throws(SQLiteError) in
            try db.execute("UPDATE automations SET session_id = ? WHERE file = ?", [sessionID, file])
        }
    }
}
