import PieAutomations
import PieSystem

/// Runs started by events: the seam for the webhook listener and the file and command triggers.
extension SchedulerStore {
    /// Queues a run of `automation` for an event (a file created, a probe that fired) at `at`,
    /// following its `overlap` like a tick. `payload` is external data: it reaches the model only
    /// inside an `UntrustedData` block.
    public func enqueueTriggered(automation: Automation, kind: TriggerKind, payload: String?, at: Instant) throws(StoreError) -> RunID {
        try write { db throws(StoreQueryError) -> RunID in
            _ = try Self.ensure(automation, fileHash: nil, now: at, db: db)
            var claim = TickClaim()
            let active = try Self.activeRun(file: automation.path, db: db)
            let run = NewRun(automation, trigger: kind, tick: nil, scheduledAt: at, notBefore: at, payload: payload)
            // An event run has no tick, so the UNIQUE (automation, tick, attempt) constraint cannot refuse it.
            guard let id = try Self.admit(run, overlap: automation.run.overlap, active: active, now: at, db: db, claim: &claim) else {
                throw .inconsistent("an event run of \(automation.id) was refused by the store")
            }
            return id
        }
    }

    /// Admits one verified webhook delivery in a single transaction: refuses a replay (a delivery with
    /// any of `replayKeys`, its delivery id or signature, seen within `replayWindow`), joins a run still
    /// waiting out its debounce window (the run then sees this newest body), or queues a new run
    /// that starts when the window ends (at once without `debounce`).
    public func admitDelivery(
        automation: Automation, replayKeys: [String], body: String, receivedAt: Instant, debounce: AutomationDuration?,
        replayWindow: AutomationDuration
    ) throws(StoreError) -> DeliveryAdmission {
        try write { db throws(StoreQueryError) -> DeliveryAdmission in
            let now = receivedAt.secondsSinceEpoch
            // The automation's row first: on PostgreSQL it is locked until commit, so two workers
            // given the same delivery take turns and the second sees the first's replay keys.
            _ = try Self.ensure(automation, fileHash: nil, now: receivedAt, db: db)
            try db.execute("DELETE FROM deliveries WHERE expires_at < ?", [now])
            for key in replayKeys {
                if try db.first("SELECT 1 FROM deliveries WHERE automation_file = ? AND replay_key = ?", [automation.path, key]) != nil {
                    return .replayed
                }
            }

            let admission: DeliveryAdmission
            if debounce != nil, let pending = try Self.pendingDebounce(automation.path, now: now, db: db) {
                try db.execute("UPDATE runs SET payload = ? WHERE id = ?", [body, pending.rawValue])
                admission = .coalesced(pending)
            } else {
                let windowEnds = Instant(secondsSinceEpoch: now + (debounce?.seconds ?? 0))
                var claim = TickClaim()
                let active = try Self.activeRun(file: automation.path, db: db)
                let run = NewRun(automation, trigger: .webhook, tick: nil, scheduledAt: receivedAt, notBefore: windowEnds, payload: body)
                guard let id = try Self.admit(run, overlap: automation.run.overlap, active: active, now: receivedAt, db: db, claim: &claim)
                else { throw .inconsistent("a webhook run of \(automation.id) was refused by the store") }
                if debounce != nil {
                    try db.execute(
                        """
                        INSERT INTO debounce (automation_file, run_id, window_ends) VALUES (?, ?, ?)
                        ON CONFLICT (automation_file) DO UPDATE SET run_id = excluded.run_id, window_ends = excluded.window_ends
                        """,
                        [automation.path, id.rawValue, windowEnds.secondsSinceEpoch])
                }
                admission = .queued(id)
            }
            let runID: RunID
            switch admission {
            case .queued(let id), .coalesced(let id): runID = id
            case .replayed: return admission
            }
            for key in replayKeys {
                try db.execute(
                    """
                    INSERT INTO deliveries (automation_file, replay_key, received_at, expires_at, run_id) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (automation_file, replay_key) DO UPDATE SET received_at = excluded.received_at,
                        expires_at = excluded.expires_at, run_id = excluded.run_id
                    """,
                    [automation.path, key, now, now + replayWindow.seconds, runID.rawValue])
            }
            return admission
        }
    }

    /// Admits one MCP notification under its dedup key (docs/mcp.md, "Notifications as
    /// triggers"): while the run a key last queued is still waiting, the notification joins it
    /// and the run sees this newest one (list changes collapse to the latest); otherwise it
    /// queues a new run, following the automation's `overlap`. At most one run per key waits.
    public func admitNotification(
        automation: Automation, dedupKey: String, body: String, receivedAt: Instant
    ) throws(StoreError) -> DeliveryAdmission {
        try write { db throws(StoreQueryError) -> DeliveryAdmission in
            // The automation's row first: on PostgreSQL it is locked until commit, so notifications
            // under one key that reach two workers at once take turns.
            _ = try Self.ensure(automation, fileHash: nil, now: receivedAt, db: db)
            let waiting = try db.first(
                """
                SELECT notifications.run_id FROM notifications JOIN runs ON runs.id = notifications.run_id
                WHERE notifications.automation_file = ? AND notifications.dedup_key = ? AND runs.state = 'queued'
                """, [automation.path, dedupKey])
            if let waiting {
                let run = RunID(waiting.int64(0))
                try db.execute("UPDATE runs SET payload = ? WHERE id = ?", [body, run.rawValue])
                return .coalesced(run)
            }
            var claim = TickClaim()
            let active = try Self.activeRun(file: automation.path, db: db)
            let run = NewRun(automation, trigger: .mcp, tick: nil, scheduledAt: receivedAt, notBefore: receivedAt, payload: body)
            guard let id = try Self.admit(run, overlap: automation.run.overlap, active: active, now: receivedAt, db: db, claim: &claim)
            else { throw .inconsistent("an MCP notification run of \(automation.id) was refused by the store") }
            try db.execute(
                """
                INSERT INTO notifications (automation_file, dedup_key, run_id) VALUES (?, ?, ?)
                ON CONFLICT (automation_file, dedup_key) DO UPDATE SET run_id = excluded.run_id
                """,
                [automation.path, dedupKey, id.rawValue])
            return .queued(id)
        }
    }

    /// How long a delivery's replay key is remembered when the caller does not say.
    public static let defaultReplayWindow = AutomationDuration(seconds: 86_400)

    /// The run a debounce window is still collecting deliveries for: queued, window not ended.
    private static func pendingDebounce(_ file: String, now: Int64, db: any StoreSession) throws(StoreQueryError) -> RunID? {
        try db.first(
            """
            SELECT debounce.run_id FROM debounce JOIN runs ON runs.id = debounce.run_id
            WHERE debounce.automation_file = ? AND debounce.window_ends > ? AND runs.state = 'queued'
            """, [file, now]).map { RunID($0.int64(0)) }
    }
}

/// What `SchedulerStore.admitDelivery` did with a delivery.
public enum DeliveryAdmission: Sendable, Equatable {
    /// A new run (answer 202).
    case queued(RunID)
    /// Joined a run waiting out its debounce window (answer 202).
    case coalesced(RunID)
    /// The same delivery was seen before within the replay window; nothing queued (answer 409).
    case replayed
}
