import PieAutomations
import PieSystem

/// One run as the store keeps it: what started it, when, how it ended and what it cost.
public struct RunRecord: Sendable, Equatable {
    public var id: RunID
    /// The automation's file: one automation's identity across scopes and projects.
    public var automationFile: String
    public var automationID: String
    public var trigger: TriggerKind
    /// The clock tick this run belongs to (cron, at, every, and their retries); nil for events.
    public var tick: Instant?
    /// When it was meant to run: the tick, or when its event arrived.
    public var scheduledAt: Instant
    /// Not started before this (a retry's backoff, a debounce window).
    public var notBefore: Instant
    public var state: RunState
    /// 1 for the first try; a retry is a new run with the next number.
    public var attempt: Int
    /// `retries + 1` of the automation when the run was queued.
    public var maxAttempts: Int
    public var backoffSeconds: Int64
    /// The run this one retries.
    public var retryOf: RunID?
    public var startedAt: Instant?
    public var endedAt: Instant?
    /// Input plus output tokens the model reported.
    public var tokens: Int
    /// In US dollars, from the model's prices in models.json (0 for local models).
    public var cost: Double
    public var finalMessage: String?
    public var sessionID: String?
    public var sessionPath: String?
    /// Why it failed, timed out, was interrupted or skipped.
    public var reason: String?
    /// External data that came with the trigger (a webhook body); shown to the model only as data.
    public var payload: String?
    public var createdAt: Instant
    /// The process that claimed it (`host/pid/start`, as leases name their holder); nil until claimed.
    public var worker: String? = nil
    /// The generation of the lease its claim took (a fencing token: only that claim may finish the
    /// run); set on the record a claim returns, nil on records read back.
    public var leaseGeneration: Int64? = nil
}

extension RunRecord {
    /// How many columns `columns` names: a statement's extra columns come after them.
    static let columnCount = 23

    static let columns = """
        id, automation_file, automation_id, trigger_kind, tick, scheduled_at, not_before, state, attempt, max_attempts,
        backoff_seconds, retry_of, started_at, ended_at, tokens, cost, final_message, session_id, session_path, reason,
        payload, created_at, worker
        """

    /// Reads the row `columns` selected.
    init(row: StoreRow) {
        id = RunID(row.int64(0))
        automationFile = row.text(1) ?? ""
        automationID = row.text(2) ?? ""
        trigger = TriggerKind(rawValue: row.text(3) ?? "") ?? .manual
        tick = row.instant(4)
        scheduledAt = row.instant(5) ?? Instant(secondsSinceEpoch: 0)
        notBefore = row.instant(6) ?? Instant(secondsSinceEpoch: 0)
        // A state this pie does not know cannot come from a store of its own schema version.
        state = RunState(rawValue: row.text(7) ?? "") ?? .interrupted
        attempt = row.int(8)
        maxAttempts = row.int(9)
        backoffSeconds = row.int64(10)
        retryOf = row.isNull(11) ? nil : RunID(row.int64(11))
        startedAt = row.instant(12)
        endedAt = row.instant(13)
        tokens = row.int(14)
        cost = row.double(15)
        finalMessage = row.text(16)
        sessionID = row.text(17)
        sessionPath = row.text(18)
        reason = row.text(19)
        payload = row.text(20)
        createdAt = row.instant(21) ?? Instant(secondsSinceEpoch: 0)
        worker = row.text(22)
    }
}
