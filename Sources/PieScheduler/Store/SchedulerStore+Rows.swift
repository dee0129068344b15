import PieAutomations
import PieSystem

/// The statements the store's operations share; each runs inside the caller's transaction.
extension SchedulerStore {
    /// Inserts `run`; nil when its (automation, tick, attempt) is already taken: the tick was
    /// claimed by another process or an earlier look.
    static func insert(_ run: NewRun, now: Instant, db: SQLiteConnection) throws(SQLiteError) -> RunID? {
        let statement = try db.prepare(
            """
            INSERT OR IGNORE INTO runs (automation_file, automation_id, trigger_kind, tick, scheduled_at, not_before, state,
                attempt, max_attempts, backoff_seconds, retry_of, reason, payload, created_at, ended_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """)
        try statement.bind([
            run.automationFile, run.automationID, run.trigger.rawValue, run.tick?.secondsSinceEpoch,
            run.scheduledAt.secondsSinceEpoch, run.notBefore.secondsSinceEpoch, run.state.rawValue, run.attempt,
            run.maxAttempts, run.backoffSeconds, run.retryOf?.rawValue, run.reason, run.payload, now.secondsSinceEpoch,
            run.state.isFinal ? now.secondsSinceEpoch : nil,
        ])
        guard try statement.step() else { return nil }
        let id = RunID(statement.int64(0))
        while try statement.step() {}
        return id
    }

    /// The automation's oldest run that is queued, running or parked on an approval, if any: "the
    /// previous run is still going".
    static func activeRun(file: String, db: SQLiteConnection) throws(SQLiteError) -> (RunID, RunState)? {
        let statement = try db.prepare(
            "SELECT id, state FROM runs WHERE automation_file = ? AND state IN ('queued', 'running', 'needs_approval') ORDER BY id LIMIT 1")
        try statement.bind([file])
        guard try statement.step() else { return nil }
        return (RunID(statement.int64(0)), RunState(rawValue: statement.text(1) ?? "") ?? .queued)
    }

    /// Inserts a run for a tick or an event, following the automation's `overlap` with respect to
    /// `active`, the run that was going before this batch began.
    static func admit(
        _ run: NewRun, overlap: RunSettings.Overlap, active: (RunID, RunState)?, now: Instant, db: SQLiteConnection,
        claim: inout TickClaim
    ) throws(SQLiteError) -> RunID? {
        var run = run
        if overlap == .skip, let (previous, state) = active {
            run.state = .skipped
            run.reason = "run \(previous) was still \(state.rawValue) (overlap = skip)"
        }
        guard let id = try insert(run, now: now, db: db) else { return nil }
        if run.state == .skipped {
            claim.skipped.append(id)
            return id
        }
        claim.queued.append(id)
        guard overlap == .replace else { return id }
        let reason = "replaced by run \(id) (overlap = replace)"
        let replaced = try db.prepare(
            """
            UPDATE runs SET state = 'skipped', reason = ?, ended_at = ?
            WHERE automation_file = ? AND state = 'queued' AND id != ? RETURNING id
            """)
        try replaced.bind([reason, now.secondsSinceEpoch, run.automationFile, id.rawValue])
        while try replaced.step() { claim.skipped.append(RunID(replaced.int64(0))) }
        let running = try db.prepare(
            "UPDATE runs SET cancel_reason = ? WHERE automation_file = ? AND state IN ('running', 'needs_approval') RETURNING id")
        try running.bind([reason, run.automationFile])
        while try running.step() { claim.replacing.append(RunID(running.int64(0))) }
        return id
    }

    static func state(file: String, db: SQLiteConnection) throws(SQLiteError) -> AutomationState? {
        let statement = try db.prepare(
            """
            SELECT file, id, scope, file_hash, enabled, anchor, last_tick, next_due, session_id
            FROM automations WHERE file = ?
            """)
        try statement.bind([file])
        guard try statement.step() else { return nil }
        return AutomationState(
            file: statement.text(0) ?? file, id: statement.text(1) ?? "", scope: statement.text(2) ?? "",
            fileHash: statement.text(3) ?? "", enabled: statement.int(4) != 0,
            anchor: Instant(secondsSinceEpoch: statement.int64(5)),
            lastTick: statement.isNull(6) ? nil : Instant(secondsSinceEpoch: statement.int64(6)),
            nextDue: statement.isNull(7) ? nil : Instant(secondsSinceEpoch: statement.int64(7)),
            sessionID: statement.text(8))
    }

    /// The automation's row, created (anchored at `now`) when the store has not seen it.
    static func ensure(_ automation: Automation, fileHash: String?, now: Instant, db: SQLiteConnection) throws(SQLiteError) -> AutomationState {
        try db.execute(
            """
            INSERT INTO automations (file, id, scope, file_hash, enabled, anchor, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (file) DO UPDATE SET id = excluded.id, scope = excluded.scope, enabled = excluded.enabled,
                file_hash = CASE WHEN excluded.file_hash = '' THEN file_hash ELSE excluded.file_hash END,
                updated_at = excluded.updated_at
            """,
            [
                automation.path, automation.id.rawValue, automation.scope.rawValue, fileHash ?? "", automation.enabled,
                now.secondsSinceEpoch, now.secondsSinceEpoch,
            ])
        guard let state = try state(file: automation.path, db: db) else {
            throw SQLiteError(code: 1, message: "the automations row for \(automation.path) vanished inside its transaction")
        }
        return state
    }

    static func run(_ id: RunID, db: SQLiteConnection) throws(SQLiteError) -> RunRecord? {
        let statement = try db.prepare("SELECT \(RunRecord.columns) FROM runs WHERE id = ?")
        try statement.bind([id.rawValue])
        return try statement.step() ? RunRecord(row: statement) : nil
    }

    static func runs(where condition: String, _ arguments: [any SQLiteBindable], db: SQLiteConnection) throws(SQLiteError) -> [RunRecord] {
        let statement = try db.prepare("SELECT \(RunRecord.columns) FROM runs WHERE \(condition)")
        try statement.bind(arguments)
        var rows: [RunRecord] = []
        while try statement.step() { rows.append(RunRecord(row: statement)) }
        return rows
    }

    /// Ends `run` as interrupted (when it is still running or parked on an approval) and queues its
    /// retry when attempts remain.
    static func interrupt(_ run: RunRecord, reason: String, now: Instant, db: SQLiteConnection) throws(SQLiteError) -> RunID? {
        try db.execute(
            """
            UPDATE runs SET state = 'interrupted', reason = ?, ended_at = ?
            WHERE id = ? AND state IN ('running', 'needs_approval')
            """,
            [reason, now.secondsSinceEpoch, run.id.rawValue])
        guard db.changes == 1 else { return nil }
        try db.execute("DELETE FROM leases WHERE resource = ?", [leaseResource(run.id)])
        return try retry(run, retryable: true, now: now, db: db)
    }

    /// Queues the next attempt of `run` when it may be retried and attempts remain.
    static func retry(_ run: RunRecord, retryable: Bool, now: Instant, db: SQLiteConnection) throws(SQLiteError) -> RunID? {
        guard retryable, run.attempt < run.maxAttempts else { return nil }
        return try insert(NewRun(retrying: run, now: now), now: now, db: db)
    }

    static func leaseResource(_ id: RunID) -> String { "run:\(id.rawValue)" }
}
