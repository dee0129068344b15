import PieAutomations
import PieSystem

/// The statements the store's operations share; each runs inside the caller's transaction.
extension SchedulerStore {
    /// Inserts `run`; nil when its (automation, tick, attempt) is already taken: the tick was
    /// claimed by another process or an earlier look.
    static func insert(_ run: NewRun, now: Instant, db: any StoreSession) throws(StoreQueryError) -> RunID? {
        let rows = try db.query(
            """
            INSERT INTO runs (automation_file, automation_id, trigger_kind, tick, scheduled_at, not_before, state,
                attempt, max_attempts, backoff_seconds, retry_of, reason, payload, created_at, ended_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id
            """,
            [
                run.automationFile, run.automationID, run.trigger.rawValue, run.tick?.secondsSinceEpoch,
                run.scheduledAt.secondsSinceEpoch, run.notBefore.secondsSinceEpoch, run.state.rawValue, run.attempt,
                run.maxAttempts, run.backoffSeconds, run.retryOf?.rawValue, run.reason, run.payload, now.secondsSinceEpoch,
                run.state.isFinal ? now.secondsSinceEpoch : nil,
            ])
        return rows.first.map { RunID($0.int64(0)) }
    }

    /// The automation's oldest run that is queued, running or parked on an approval, if any: "the
    /// previous run is still going".
    static func activeRun(file: String, db: any StoreSession) throws(StoreQueryError) -> (RunID, RunState)? {
        guard
            let row = try db.first(
                "SELECT id, state FROM runs WHERE automation_file = ? AND state IN ('queued', 'running', 'needs_approval') ORDER BY id LIMIT 1",
                [file])
        else { return nil }
        return (RunID(row.int64(0)), RunState(rawValue: row.text(1) ?? "") ?? .queued)
    }

    /// Inserts a run for a tick or an event, following the automation's `overlap` with respect to
    /// `active`, the run that was going before this batch began.
    static func admit(
        _ run: NewRun, overlap: RunSettings.Overlap, active: (RunID, RunState)?, now: Instant, db: any StoreSession,
        claim: inout TickClaim
    ) throws(StoreQueryError) -> RunID? {
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
        let replaced = try db.query(
            """
            UPDATE runs SET state = 'skipped', reason = ?, ended_at = ?
            WHERE automation_file = ? AND state = 'queued' AND id != ? RETURNING id
            """,
            [reason, now.secondsSinceEpoch, run.automationFile, id.rawValue])
        claim.skipped += replaced.map { RunID($0.int64(0)) }
        let running = try db.query(
            "UPDATE runs SET cancel_reason = ? WHERE automation_file = ? AND state IN ('running', 'needs_approval') RETURNING id",
            [reason, run.automationFile])
        claim.replacing += running.map { RunID($0.int64(0)) }
        return id
    }

    static func state(file: String, db: any StoreSession) throws(StoreQueryError) -> AutomationState? {
        guard
            let row = try db.first(
                """
                SELECT file, id, scope, file_hash, enabled, anchor, last_tick, next_due, session_id
                FROM automations WHERE file = ?
                """, [file])
        else { return nil }
        return AutomationState(
            file: row.text(0) ?? file, id: row.text(1) ?? "", scope: row.text(2) ?? "", fileHash: row.text(3) ?? "",
            enabled: row.int(4) != 0, anchor: Instant(secondsSinceEpoch: row.int64(5)), lastTick: row.instant(6),
            nextDue: row.instant(7), sessionID: row.text(8))
    }

    /// The automation's row, created (anchored at `now`) when the store has not seen it. On
    /// PostgreSQL the upsert locks the row until the transaction ends, so the operations on one
    /// automation's ticks and admissions take turns across workers.
    static func ensure(_ automation: Automation, fileHash: String?, now: Instant, db: any StoreSession) throws(StoreQueryError) -> AutomationState {
        try db.execute(
            """
            INSERT INTO automations (file, id, scope, file_hash, enabled, anchor, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (file) DO UPDATE SET id = excluded.id, scope = excluded.scope, enabled = excluded.enabled,
                file_hash = CASE WHEN excluded.file_hash = '' THEN automations.file_hash ELSE excluded.file_hash END,
                updated_at = excluded.updated_at
            """,
            [
                automation.path, automation.id.rawValue, automation.scope.rawValue, fileHash ?? "", automation.enabled,
                now.secondsSinceEpoch, now.secondsSinceEpoch,
            ])
        guard let state = try state(file: automation.path, db: db) else {
            throw .inconsistent("the automations row for \(automation.path) vanished inside its transaction")
        }
        return state
    }

    static func run(_ id: RunID, db: any StoreSession) throws(StoreQueryError) -> RunRecord? {
        try db.first("SELECT \(RunRecord.columns) FROM runs WHERE id = ?", [id.rawValue]).map(RunRecord.init(row:))
    }

    static func runs(where condition: String, _ arguments: [any StoreBindable], db: any StoreSession) throws(StoreQueryError) -> [RunRecord] {
        try db.query("SELECT \(RunRecord.columns) FROM runs WHERE \(condition)", arguments).map(RunRecord.init(row:))
    }

    /// Ends `run` as interrupted (when it is still running or parked on an approval) and queues its
    /// retry when attempts remain.
    static func interrupt(_ run: RunRecord, reason: String, now: Instant, db: any StoreSession) throws(StoreQueryError) -> RunID? {
        let changed = try db.execute(
            """
            UPDATE runs SET state = 'interrupted', reason = ?, ended_at = ?
            WHERE id = ? AND state IN ('running', 'needs_approval')
            """,
            [reason, now.secondsSinceEpoch, run.id.rawValue])
        guard changed == 1 else { return nil }
        try db.execute("DELETE FROM leases WHERE resource = ?", [leaseResource(run.id)])
        return try retry(run, retryable: true, now: now, db: db)
    }

    /// Queues the next attempt of `run` when it may be retried and attempts remain.
    static func retry(_ run: RunRecord, retryable: Bool, now: Instant, db: any StoreSession) throws(StoreQueryError) -> RunID? {
        guard retryable, run.attempt < run.maxAttempts else { return nil }
        return try insert(NewRun(retrying: run, now: now), now: now, db: db)
    }

    static func leaseResource(_ id: RunID) -> String { "run:\(id.rawValue)" }
}
