import PieAutomations
import PieSystem
import Synchronization

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
    /// On PostgreSQL the candidate and its automation's row are locked together with `FOR UPDATE
    /// SKIP LOCKED` (workers claiming at once take different runs of different automations); the
    /// start then looks again for a running run of the automation in a statement that sees every
    /// claim committed before: two workers never start two runs of one automation.
    ///
    /// A claim whose COMMIT was lost with the connection may or may not be in the store; this
    /// process never runs it, so the next heartbeat puts it back in the queue if it is (see
    /// `settleUnconfirmed`), before any lease of it is renewed.
    public func claimNext(owner: LeaseOwner, now: Instant, leaseSeconds: Int64, files: [String]) throws(StoreError) -> RunRecord? {
        guard !files.isEmpty else { return nil }
        var attempted: UnconfirmedClaim?
        do {
            let run = try write { db throws(StoreQueryError) -> RunRecord? in
                attempted = nil
                var busy: [String] = []
                while true {
                    let wanted = db.dialect.oneOf("runs.automation_file", files)
                    let skipped = db.dialect.oneOf("runs.automation_file", busy)
                    guard
                        let candidate = try db.first(
                            """
                            SELECT runs.id, runs.automation_file FROM runs JOIN automations ON automations.file = runs.automation_file
                            WHERE runs.state = 'queued' AND runs.not_before <= ? AND \(wanted.condition) AND NOT \(skipped.condition)
                                AND NOT EXISTS (SELECT 1 FROM runs AS other WHERE other.automation_file = runs.automation_file
                                    AND other.state IN ('running', 'needs_approval'))
                            ORDER BY runs.not_before, runs.id LIMIT 1\(db.dialect.lockClaimed)
                            """, [now.secondsSinceEpoch as any StoreBindable] + wanted.arguments + skipped.arguments)
                    else { return nil }
                    let id = RunID(candidate.int64(0))
                    if let started = try Self.start(id, owner: owner, now: now, leaseSeconds: leaseSeconds, whenIdle: true, db: db) {
                        attempted = UnconfirmedClaim(run: id, owner: owner, generation: started.leaseGeneration ?? 0)
                        return started
                    }
                    // Another worker's run of the automation started between the two statements.
                    busy.append(candidate.text(1) ?? "")
                }
            }
            if let run { claimed.withLock { _ = $0[owner, default: []].insert(run.id) } }
            return run
        } catch {
            if error.isCommitUnknown, let attempted { unconfirmed.withLock { $0.append(attempted) } }
            throw error
        }
    }

    /// Moves queued run `id` to running, records its worker and leases it to `owner` under a new
    /// generation; nil when it is no longer queued, or (`whenIdle`) another run of its automation
    /// is running or parked. On PostgreSQL one statement does all three.
    static func start(
        _ id: RunID, owner: LeaseOwner, now: Instant, leaseSeconds: Int64, whenIdle: Bool = false, db: any StoreSession
    ) throws(StoreQueryError) -> RunRecord? {
        let idle = whenIdle ? """
             AND NOT EXISTS (SELECT 1 FROM runs AS other WHERE other.automation_file = runs.automation_file
                AND other.state IN ('running', 'needs_approval'))
            """ : ""
        let update = "UPDATE runs SET state = 'running', started_at = ?, worker = ? WHERE id = ? AND state = 'queued'\(idle)"
        let upsert = """
            ON CONFLICT (resource) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at,
                generation = excluded.generation
            """
        let expires = now.secondsSinceEpoch + leaseSeconds
        if db.dialect.rowLocks {
            guard
                let row = try db.first(
                    """
                    WITH started AS (\(update) RETURNING \(RunRecord.columns)),
                    lease AS (
                        INSERT INTO leases (resource, owner, expires_at, generation)
                        SELECT 'run:' || id, ?, ?, nextval('lease_generation') FROM started
                        \(upsert) RETURNING generation)
                    SELECT started.*, lease.generation FROM started, lease
                    """,
                    [now.secondsSinceEpoch, owner.description, id.rawValue, owner.description, expires])
            else { return nil }
            var started = RunRecord(row: row)
            started.leaseGeneration = row.int64(RunRecord.columnCount)
            return started
        }
        guard
            let row = try db.first(
                "\(update) RETURNING \(RunRecord.columns)", [now.secondsSinceEpoch, owner.description, id.rawValue])
        else { return nil }
        guard let generation = try db.first(db.dialect.nextGeneration, [])?.int64(0) else {
            throw .inconsistent("the lease generation counter returned no value")
        }
        try db.execute(
            "INSERT INTO leases (resource, owner, expires_at, generation) VALUES (?, ?, ?, ?) \(upsert)",
            [leaseResource(id), owner.description, expires, generation])
        var started = RunRecord(row: row)
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
    ///
    /// The fence and the write are one statement: the UPDATE changes the run only while it is
    /// running under `owner`'s lease of `generation`, and the row it locks is the one a takeover
    /// must change first (to interrupted), so no takeover can slip between the check and the write.
    public func finish(
        _ id: RunID, owner: LeaseOwner, generation: Int64?, outcome: RunOutcome, now: Instant
    ) throws(StoreError) -> FinishResult {
        let result = try write { db throws(StoreQueryError) -> FinishResult in
            guard
                let row = try db.first(
                    """
                    UPDATE runs SET state = ?,
                        reason = CASE WHEN cancel_reason IS NOT NULL AND ? = 'interrupted' THEN cancel_reason ELSE ? END,
                        final_message = ?, tokens = ?, cost = ?, session_id = ?, session_path = ?, ended_at = ?
                    WHERE id = ? AND state = 'running' AND EXISTS (
                        SELECT 1 FROM leases WHERE resource = ? AND owner = ? AND (generation = ? OR CAST(? AS BIGINT) IS NULL))
                    RETURNING \(RunRecord.columns), cancel_reason
                    """,
                    [
                        outcome.state.rawValue, outcome.state.rawValue, outcome.reason, outcome.finalMessage, outcome.tokens,
                        outcome.cost, outcome.sessionID, outcome.sessionPath, outcome.state.isFinal ? now.secondsSinceEpoch : nil,
                        id.rawValue, Self.leaseResource(id), owner.description, generation, generation,
                    ])
            else { return FinishResult(recorded: false, retry: nil) }
            let ended = RunRecord(row: row)
            // A replaced run (`overlap = replace`) that ends interrupted is not retried.
            let replaced = !row.isNull(RunRecord.columnCount) && outcome.state == .interrupted
            guard outcome.state.isFinal else { return FinishResult(recorded: true, retry: nil) }
            try db.execute("DELETE FROM leases WHERE resource = ?", [Self.leaseResource(id)])
            let retry = try Self.retry(ended, retryable: outcome.retryable && !replaced, now: now, db: db)
            return FinishResult(recorded: true, retry: retry)
        }
        if outcome.state.isFinal || !result.recorded { forget(id, owner: owner) }
        return result
    }

    /// Drops `id` from the runs this process claimed for `owner`: it ended, or is no longer its.
    func forget(_ id: RunID, owner: LeaseOwner) {
        claimed.withLock { claimed in
            claimed[owner]?.remove(id)
            if claimed[owner]?.isEmpty == true { claimed[owner] = nil }
        }
    }

    /// Renews every lease `owner` holds; returns, with the reason, the runs it should stop: those a
    /// newer run replaced (`overlap = replace`), and those this process claimed (`claimNext`) whose
    /// lease is gone though it never finished them, because another worker (or this one, late)
    /// took them over when the lease expired. A worker paused past its lease thus stops acting for
    /// the run at its first heartbeat after it resumes. Claims of this process whose COMMIT was
    /// lost are settled first, in the same transaction, so none of them is renewed.
    public func heartbeat(owner: LeaseOwner, now: Instant, leaseSeconds: Int64) throws(StoreError) -> [RunID: String] {
        let pending = unconfirmed.withLock { $0 }
        // Read before the renewal: every claim in it committed before the renewal's statement began.
        let mine = claimed.withLock { $0[owner] ?? [] }
        var stop = try write { db throws(StoreQueryError) -> [RunID: String] in
            for claim in pending { try Self.settle(claim, now: now, db: db) }
            let renewed = try db.query(
                "UPDATE leases SET expires_at = ? WHERE owner = ? RETURNING resource",
                [now.secondsSinceEpoch + leaseSeconds, owner.description])
            let leased = Set(renewed.compactMap { $0.text(0).flatMap(Self.leasedRun) })
            let rows = try db.query(
                """
                SELECT runs.id, runs.cancel_reason FROM runs JOIN leases ON leases.resource = 'run:' || runs.id
                WHERE leases.owner = ? AND runs.state IN ('running', 'needs_approval') AND runs.cancel_reason IS NOT NULL
                """, [owner.description])
            var stop: [RunID: String] = [:]
            for id in mine.subtracting(leased) {
                stop[id] = "run \(id) lost its lease: it expired and the run was interrupted, to be retried elsewhere"
            }
            for row in rows { stop[RunID(row.int64(0))] = row.text(1) ?? "replaced" }
            return stop
        }
        if !pending.isEmpty { unconfirmed.withLock { $0.removeAll { pending.contains($0) } } }
        // A run finished meanwhile is not lost; a lost one is reported once.
        claimed.withLock { claimed in
            let current = claimed[owner] ?? []
            for (id, _) in stop where mine.contains(id) && !current.contains(id) { stop[id] = nil }
            claimed[owner] = current.subtracting(stop.keys)
        }
        return stop
    }

    /// The run a lease's resource (`run:ID`) names.
    static func leasedRun(_ resource: String) -> RunID? {
        guard resource.hasPrefix("run:"), let id = Int64(resource.dropFirst(4)) else { return nil }
        return RunID(id)
    }

    /// Undoes a claim this process never ran because its COMMIT's outcome was lost: when it is in
    /// the store (the run running under exactly that lease), the run goes back to the queue (or
    /// ends skipped when a newer run replaced it meanwhile) and the lease is dropped. Nothing else
    /// matches the lease's generation, so another worker's claim is never touched, and doing it
    /// twice changes nothing.
    static func settle(_ claim: UnconfirmedClaim, now: Instant, db: any StoreSession) throws(StoreQueryError) {
        let held = """
            id = ? AND state = 'running' AND EXISTS (
                SELECT 1 FROM leases WHERE resource = ? AND owner = ? AND generation = ?)
            """
        let lease: [any StoreBindable] = [claim.run.rawValue, leaseResource(claim.run), claim.owner.description, claim.generation]
        try db.execute(
            "UPDATE runs SET state = 'skipped', reason = cancel_reason, ended_at = ? WHERE cancel_reason IS NOT NULL AND \(held)",
            [now.secondsSinceEpoch as any StoreBindable] + lease)
        try db.execute("UPDATE runs SET state = 'queued', started_at = NULL, worker = NULL WHERE \(held)", lease)
        try db.execute(
            "DELETE FROM leases WHERE resource = ? AND owner = ? AND generation = ?",
            [leaseResource(claim.run), claim.owner.description, claim.generation])
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
        let interrupted = try write { db throws(StoreQueryError) -> [RunID] in
            let held = try Self.runs(
                where: """
                    state IN ('running', 'needs_approval')
                    AND id IN (SELECT CAST(substr(resource, 5) AS BIGINT) FROM leases WHERE owner = ?)
                    """,
                [owner.description], db: db)
            for run in held { _ = try Self.interrupt(run, reason: reason, now: now, db: db) }
            return held.map(\.id)
        }
        claimed.withLock { $0[owner] = nil }
        return interrupted
    }

    /// The earliest time a queued run of `files` may start, for the serve loop's next wake.
    public func earliestQueued(files: [String]) throws(StoreError) -> Instant? {
        guard !files.isEmpty else { return nil }
        return try read { db throws(StoreQueryError) -> Instant? in
            let wanted = db.dialect.oneOf("automation_file", files)
            return try db.first(
                "SELECT MIN(not_before) FROM runs WHERE state = 'queued' AND \(wanted.condition)", wanted.arguments)?.instant(0)
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
