import PieAutomations
import PieSystem

/// Running runs: a run executes only in the process holding its lease; a lease whose holder
/// stopped (gone from this host, or not renewed before it expired) makes the run interrupted.
/// Every claim takes a new lease generation, and finishing a run checks it (fencing): a worker
/// that was paused past its lease and resumes cannot record a run another worker took over.
extension SchedulerStore {
    /// Takes the oldest queued run that may start now (its `not_before` passed, and no run of the
    /// same automation is running) and leases it to `owner`; nil when none may.
    /// Only runs of `files` are taken: a store is shared by the `serve` processes of several
    /// projects, and each runs only the automations it loaded.
    ///
    /// On PostgreSQL the candidate is locked with `FOR UPDATE SKIP LOCKED` (workers claiming at
    /// once take different runs), then its automation's row (skipped when another worker holds
    /// it), and only then is "no run of it is running" checked again, in a statement that sees
    /// every claim committed before: two workers never start two runs of one automation.
    public func claimNext(owner: LeaseOwner, now: Instant, leaseSeconds: Int64, files: [String]) throws(StoreError) -> RunRecord? {
        guard !files.isEmpty else { return nil }
        return try write { db throws(StoreQueryError) -> RunRecord? in
            var candidates = files
            while !candidates.isEmpty {
                let found = try Self.runs(
                    where: """
                        state = 'queued' AND not_before <= ? AND automation_file IN (\(Self.placeholders(candidates.count))) AND NOT EXISTS (
                            SELECT 1 FROM runs AS other WHERE other.automation_file = runs.automation_file
                                AND other.state IN ('running', 'needs_approval'))
                        ORDER BY not_before, id LIMIT 1\(db.dialect.lockClaimed)
                        """, [now.secondsSinceEpoch as any StoreBindable] + candidates.map { $0 as any StoreBindable }, db: db)
                guard let run = found.first else { return nil }
                if db.dialect.rowLocks {
                    let locked = try db.first(
                        "SELECT file FROM automations WHERE file = ? FOR UPDATE SKIP LOCKED", [run.automationFile]) != nil
                    let busy = try db.first(
                        "SELECT 1 FROM runs WHERE automation_file = ? AND state IN ('running', 'needs_approval')",
                        [run.automationFile]) != nil
                    guard locked, !busy else {
                        candidates.removeAll { $0 == run.automationFile }
                        continue
                    }
                }
                return try Self.start(run, owner: owner, now: now, leaseSeconds: leaseSeconds, db: db)
            }
            return nil
        }
    }

    /// Moves a queued run to running, records its worker and leases it to `owner` under a new
    /// generation; nil when it is no longer queued.
    static func start(
        _ run: RunRecord, owner: LeaseOwner, now: Instant, leaseSeconds: Int64, db: any StoreSession
    ) throws(StoreQueryError) -> RunRecord? {
        let changed = try db.execute(
            "UPDATE runs SET state = 'running', started_at = ?, worker = ? WHERE id = ? AND state = 'queued'",
            [now.secondsSinceEpoch, owner.description, run.id.rawValue])
        guard changed == 1 else { return nil }
        guard let generation = try db.first(db.dialect.nextGeneration, [])?.int64(0) else {
            throw .inconsistent("the lease generation counter returned no value")
        }
        try db.execute(
            """
            INSERT INTO leases (resource, owner, expires_at, generation) VALUES (?, ?, ?, ?)
            ON CONFLICT (resource) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at,
                generation = excluded.generation
            """,
            [leaseResource(run.id), owner.description, now.secondsSinceEpoch + leaseSeconds, generation])
        var started = run
        started.state = .running
        started.startedAt = now
        started.worker = owner.description
        started.leaseGeneration = generation
        return started
    }

    /// Whether `owner` still holds `id`'s lease (of `generation`, when given) and the run is still
    /// going. A runner asks before it acts outside the store.
    public func holdsLease(_ id: RunID, owner: LeaseOwner, generation: Int64?) throws(StoreError) -> Bool {
        try read { db throws(StoreQueryError) -> Bool in try Self.holds(id, owner: owner, generation: generation, db: db) }
    }

    static func holds(_ id: RunID, owner: LeaseOwner, generation: Int64?, db: any StoreSession) throws(StoreQueryError) -> Bool {
        guard
            let row = try db.first(
                """
                SELECT leases.owner, leases.generation FROM leases JOIN runs ON leases.resource = 'run:' || runs.id
                WHERE leases.resource = ? AND runs.state IN ('running', 'needs_approval')
                """, [leaseResource(id)])
        else { return false }
        return row.text(0) == owner.description && (generation.map { $0 == row.int64(1) } ?? true)
    }

    /// Records how `id` ended, if `owner` still holds it under `generation` (any generation when
    /// nil). A process that was taken for dead records nothing: its run was interrupted and
    /// perhaps retried already. Queues the retry the outcome allows. A run asked to stop by a newer
    /// run (`overlap = replace`) ends interrupted with that reason and is not retried.
    public func finish(
        _ id: RunID, owner: LeaseOwner, generation: Int64?, outcome: RunOutcome, now: Instant
    ) throws(StoreError) -> FinishResult {
        try write { db throws(StoreQueryError) -> FinishResult in
            // The run's row is locked first (PostgreSQL), so a worker recovering it waits for this.
            let cancel = try db.first("SELECT cancel_reason FROM runs WHERE id = ? AND state = 'running'\(db.dialect.rowLocks ? " FOR UPDATE" : "")", [id.rawValue])
            guard let cancel, try Self.holds(id, owner: owner, generation: generation, db: db), let run = try Self.run(id, db: db)
            else { return FinishResult(recorded: false, retry: nil) }
            let replacedBy = cancel.text(0)
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
        try write { db throws(StoreQueryError) -> [RunID: String] in
            try db.execute(
                "UPDATE leases SET expires_at = ? WHERE owner = ?", [now.secondsSinceEpoch + leaseSeconds, owner.description])
            let rows = try db.query(
                """
                SELECT runs.id, runs.cancel_reason FROM runs JOIN leases ON leases.resource = 'run:' || runs.id
                WHERE leases.owner = ? AND runs.state IN ('running', 'needs_approval') AND runs.cancel_reason IS NOT NULL
                """, [owner.description])
            var replaced: [RunID: String] = [:]
            for row in rows { replaced[RunID(row.int64(0))] = row.text(1) ?? "replaced" }
            return replaced
        }
    }

    /// Marks interrupted every running run whose holder stopped: no lease, a holder on this host
    /// whose process is gone, or a lease that expired (on SQLite only a holder on another host's:
    /// there a live local holder whose heartbeat is late keeps its run). Queues their retries.
    /// Returns the interrupted runs and the retries queued for them.
    public func recoverAbandoned(now: Instant) throws(StoreError) -> [(interrupted: RunRecord, retry: RunID?)] {
        try write { db throws(StoreQueryError) -> [(interrupted: RunRecord, retry: RunID?)] in
            let rows = try db.query(
                """
                SELECT runs.id, leases.owner, leases.expires_at FROM runs
                LEFT JOIN leases ON leases.resource = 'run:' || runs.id WHERE runs.state IN ('running', 'needs_approval')
                """, [])
            var abandoned: [(RunID, String)] = []
            for row in rows {
                let id = RunID(row.int64(0))
                guard let ownerText = row.text(1) else {
                    abandoned.append((id, "its lease is gone"))
                    continue
                }
                guard let owner = LeaseOwner(parsing: ownerText) else {
                    abandoned.append((id, "its lease names no process ('\(ownerText)')"))
                    continue
                }
                let expired = row.int64(2) < now.secondsSinceEpoch
                if owner.isOnThisHost, owner.isCertainlyGone() {
                    abandoned.append((id, "its process \(ownerText) stopped (killed or crashed) during the run"))
                } else if expired, !(owner.isOnThisHost && db.dialect.localProcessKeepsLease) {
                    abandoned.append((id, "the lease of \(ownerText) expired without a heartbeat"))
                }
            }
            var recovered: [(interrupted: RunRecord, retry: RunID?)] = []
            for (id, why) in abandoned {
                guard let run = try Self.run(id, db: db), run.state == .running || run.state == .needsApproval else { continue }
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
        try write { db throws(StoreQueryError) -> [RunID] in
            let held = try Self.runs(
                where: """
                    state IN ('running', 'needs_approval')
                    AND id IN (SELECT CAST(substr(resource, 5) AS BIGINT) FROM leases WHERE owner = ?)
                    """,
                [owner.description], db: db)
            for run in held { _ = try Self.interrupt(run, reason: reason, now: now, db: db) }
            return held.map(\.id)
        }
    }

    /// The earliest time a queued run of `files` may start, for the serve loop's next wake.
    public func earliestQueued(files: [String]) throws(StoreError) -> Instant? {
        guard !files.isEmpty else { return nil }
        return try read { db throws(StoreQueryError) -> Instant? in
            try db.first(
                "SELECT MIN(not_before) FROM runs WHERE state = 'queued' AND automation_file IN (\(Self.placeholders(files.count)))",
                files.map { $0 as any StoreBindable })?.instant(0)
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
