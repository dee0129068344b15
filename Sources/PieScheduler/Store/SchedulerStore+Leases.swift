import PieAutomations
import PieSystem

/// Running runs: a run executes only in the process holding its lease; a lease whose holder
/// stopped (gone from this host, or not renewed before it expired) makes the run interrupted.
extension SchedulerStore {
    /// Takes the oldest queued run that may start now (its `not_before` passed, and no run of the
    /// same automation is running) and leases it to `owner`; nil when none may.
    /// Only runs of `files` are taken: a store is shared by the `serve` processes of several
    /// projects, and each runs only the automations it loaded.
    public func claimNext(owner: LeaseOwner, now: Instant, leaseSeconds: Int64, files: [String]) throws(StoreError) -> RunRecord? {
        guard !files.isEmpty else { return nil }
        return try write { db throws(SQLiteError) -> RunRecord? in
            let candidates = try Self.runs(
                where: """
                    state = 'queued' AND not_before <= ? AND automation_file IN (\(Self.placeholders(files.count))) AND NOT EXISTS (
                        SELECT 1 FROM runs AS other WHERE other.automation_file = runs.automation_file
                            AND other.state IN ('running', 'needs_approval'))
                    ORDER BY not_before, id LIMIT 1
                    """, [now.secondsSinceEpoch as any SQLiteBindable] + files.map { $0 as any SQLiteBindable }, db: db)
            guard let run = candidates.first else { return nil }
            return try Self.start(run, owner: owner, now: now, leaseSeconds: leaseSeconds, db: db)
        }
    }

    /// Moves a queued run to running and leases it to `owner`; nil when it is no longer queued.
    static func start(
        _ run: RunRecord, owner: LeaseOwner, now: Instant, leaseSeconds: Int64, db: SQLiteConnection
    ) throws(SQLiteError) -> RunRecord? {
        try db.execute(
            "UPDATE runs SET state = 'running', started_at = ? WHERE id = ? AND state = 'queued'",
            [now.secondsSinceEpoch, run.id.rawValue])
        guard db.changes == 1 else { return nil }
        try db.execute(
            "INSERT OR REPLACE INTO leases (resource, owner, expires_at) VALUES (?, ?, ?)",
            [leaseResource(run.id), owner.description, now.secondsSinceEpoch + leaseSeconds])
        var started = run
        started.state = .running
        started.startedAt = now
        return started
    }

    /// Records how `id` ended, if `owner` still holds it (a process that was taken for dead
    /// records nothing: its run was interrupted and perhaps retried already). Queues the retry
    /// the outcome allows. A run asked to stop by a newer run (`overlap = replace`) ends
    /// interrupted with that reason and is not retried.
    public func finish(_ id: RunID, owner: LeaseOwner, outcome: RunOutcome, now: Instant) throws(StoreError) -> FinishResult {
        try write { db throws(SQLiteError) -> FinishResult in
            let holder = try db.prepare("SELECT owner FROM leases WHERE resource = ?")
            try holder.bind([Self.leaseResource(id)])
            guard try holder.step(), holder.text(0) == owner.description, let run = try Self.run(id, db: db),
                run.state == .running
            else { return FinishResult(recorded: false, retry: nil) }
            let cancel = try db.prepare("SELECT cancel_reason FROM runs WHERE id = ?")
            try cancel.bind([id.rawValue])
            let replacedBy = try cancel.step() ? cancel.text(0) : nil
            var outcome = outcome
            if let replacedBy, outcome.state == .interrupted {
                outcome.reason = replacedBy
                outcome.retryable = false
            }
            try db.execute(
                """
                UPDATE runs SET state = ?, reason = ?, final_message = ?, tokens = ?, cost = ?, session_id = ?,
                    session_path = ?, ended_at = ? WHERE id = ?
                """,
                [
                    outcome.state.rawValue, outcome.reason, outcome.finalMessage, outcome.tokens, outcome.cost,
                    outcome.sessionID, outcome.sessionPath, outcome.state.isFinal ? now.secondsSinceEpoch : nil, id.rawValue,
                ])
            if outcome.state.isFinal { try db.execute("DELETE FROM leases WHERE resource = ?", [Self.leaseResource(id)]) }
            var ended = run
            ended.state = outcome.state
            let retry = outcome.state.isFinal ? try Self.retry(ended, retryable: outcome.retryable, now: now, db: db) : nil
            return FinishResult(recorded: true, retry: retry)
        }
    }

    /// Renews every lease `owner` holds; returns the runs it holds that a newer run replaced
    /// (`overlap = replace`), with the reason, so it can stop them.
    public func heartbeat(owner: LeaseOwner, now: Instant, leaseSeconds: Int64) throws(StoreError) -> [RunID: String] {
        try write { db throws(SQLiteError) -> [RunID: String] in
            try db.execute(
                "UPDATE leases SET expires_at = ? WHERE owner = ?", [now.secondsSinceEpoch + leaseSeconds, owner.description])
            let statement = try db.prepare(
                """
                SELECT runs.id, runs.cancel_reason FROM runs JOIN leases ON leases.resource = 'run:' || runs.id
                WHERE leases.owner = ? AND runs.state IN ('running', 'needs_approval') AND runs.cancel_reason IS NOT NULL
                """)
            try statement.bind([owner.description])
            var replaced: [RunID: String] = [:]
            while try statement.step() { replaced[RunID(statement.int64(0))] = statement.text(1) ?? "replaced" }
            return replaced
        }
    }

    /// Marks interrupted every running run whose holder stopped: no lease, a holder on this host
    /// whose process is gone, or a holder on another host whose lease expired. Queues their retries. Returns the
    /// interrupted runs and the retries queued for them.
    public func recoverAbandoned(now: Instant) throws(StoreError) -> [(interrupted: RunRecord, retry: RunID?)] {
        try write { db throws(SQLiteError) -> [(interrupted: RunRecord, retry: RunID?)] in
            let statement = try db.prepare(
                """
                SELECT runs.id, leases.owner, leases.expires_at FROM runs
                LEFT JOIN leases ON leases.resource = 'run:' || runs.id WHERE runs.state IN ('running', 'needs_approval')
                """)
            var abandoned: [(RunID, String)] = []
            while try statement.step() {
                let id = RunID(statement.int64(0))
                guard let ownerText = statement.text(1) else {
                    abandoned.append((id, "its lease is gone"))
                    continue
                }
                // On this host the process table is the truth (a live holder whose heartbeat is late
                // keeps its run); a holder elsewhere is known only by its lease's expiry.
                guard let owner = LeaseOwner(parsing: ownerText) else {
                    abandoned.append((id, "its lease names no process ('\(ownerText)')"))
                    continue
                }
                if owner.isOnThisHost {
                    if owner.isCertainlyGone() {
                        abandoned.append((id, "its process \(ownerText) stopped (killed or crashed) during the run"))
                    }
                } else if statement.int64(2) < now.secondsSinceEpoch {
                    abandoned.append((id, "the lease of \(ownerText) expired without a heartbeat"))
                }
            }
            var recovered: [(interrupted: RunRecord, retry: RunID?)] = []
            for (id, why) in abandoned {
                guard let run = try Self.run(id, db: db) else { continue }
                let retry = try Self.interrupt(run, reason: why, now: now, db: db)
                var ended = run
                ended.state = .interrupted
                ended.reason = why
                recovered.append((ended, retry))
            }
            return recovered
        }
    }

    /// Interrupts every run `owner` still holds (the end of SIGTERM's grace period) and queues
    /// their retries.
    public func interruptHeld(owner: LeaseOwner, reason: String, now: Instant) throws(StoreError) -> [RunID] {
        try write { db throws(SQLiteError) -> [RunID] in
            let held = try Self.runs(
                where: """
                    state IN ('running', 'needs_approval')
                    AND id IN (SELECT CAST(substr(resource, 5) AS INTEGER) FROM leases WHERE owner = ?)
                    """,
                [owner.description], db: db)
            for run in held { _ = try Self.interrupt(run, reason: reason, now: now, db: db) }
            return held.map(\.id)
        }
    }

    /// The earliest time a queued run of `files` may start, for the serve loop's next wake.
    public func earliestQueued(files: [String]) throws(StoreError) -> Instant? {
        guard !files.isEmpty else { return nil }
        return try read { db throws(SQLiteError) -> Instant? in
            let statement = try db.prepare(
                "SELECT MIN(not_before) FROM runs WHERE state = 'queued' AND automation_file IN (\(Self.placeholders(files.count)))")
            try statement.bind(files.map { $0 as any SQLiteBindable })
            guard try statement.step(), !statement.isNull(0) else { return nil }
            return Instant(secondsSinceEpoch: statement.int64(0))
        }
    }
}

extension SchedulerStore {
    /// `?, ?, …` for an `IN` list of `count` values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}

/// What `SchedulerStore.finish` did.
public struct FinishResult: Sendable, Equatable {
    /// False when the caller no longer held the run's lease; nothing was written.
    public var recorded: Bool
    /// The retry queued for the run, if its outcome and attempts allow one.
    public var retry: RunID?
}
