import PieAutomations

/// What the scheduler, the runner, `serve` and `pie automations` need from the automation store,
/// whichever backend holds it (SQLite on one host, PostgreSQL for workers on many). Every
/// operation is one transaction; the rules are in docs/automations.md ("Exactly once", "Many
/// workers").
public protocol AutomationStore: AnyObject, Sendable {
    /// The store as messages show it: a path, or a PostgreSQL URL with its password masked.
    var location: String { get }

    // MARK: Automations and ticks

    @discardableResult
    func register(_ automation: Automation, fileHash: String, now: Instant) throws(StoreError) -> AutomationState
    func automationState(file: String) throws(StoreError) -> AutomationState?
    func claimDueTicks(_ automation: Automation, trigger: ClockTrigger, now: Instant) throws(StoreError) -> TickClaim
    func startManual(
        _ automation: Automation, owner: LeaseOwner, now: Instant, leaseSeconds: Int64, consuming trigger: ClockTrigger?
    ) throws(StoreError) -> RunRecord?
    func startOnce(_ automation: Automation, owner: LeaseOwner, now: Instant, leaseSeconds: Int64, trigger: ClockTrigger) throws(StoreError) -> OnceStart
    func setSessionID(_ sessionID: String, file: String) throws(StoreError)

    // MARK: Events

    func enqueueTriggered(automation: Automation, kind: TriggerKind, payload: String?, at: Instant) throws(StoreError) -> RunID
    func admitDelivery(
        automation: Automation, replayKeys: [String], body: String, receivedAt: Instant, debounce: AutomationDuration?,
        replayWindow: AutomationDuration
    ) throws(StoreError) -> DeliveryAdmission
    func admitNotification(automation: Automation, dedupKey: String, body: String, receivedAt: Instant) throws(StoreError) -> DeliveryAdmission

    // MARK: Runs and leases

    func claimNext(owner: LeaseOwner, now: Instant, leaseSeconds: Int64, files: [String]) throws(StoreError) -> RunRecord?
    func finish(_ id: RunID, owner: LeaseOwner, generation: Int64?, outcome: RunOutcome, now: Instant) throws(StoreError) -> FinishResult
    func holdsLease(_ id: RunID, owner: LeaseOwner, generation: Int64?) throws(StoreError) -> Bool
    /// Renews `owner`'s leases; returns the runs it must stop (replaced, or their lease lost), with why.
    func heartbeat(owner: LeaseOwner, now: Instant, leaseSeconds: Int64) throws(StoreError) -> [RunID: String]
    func recoverAbandoned(now: Instant) throws(StoreError) -> [(interrupted: RunRecord, retry: RunID?)]
    func interruptHeld(owner: LeaseOwner, reason: String, now: Instant) throws(StoreError) -> [RunID]
    func earliestQueued(files: [String]) throws(StoreError) -> Instant?

    // MARK: Queries

    func runs(automationID: String?, limit: Int) throws(StoreError) -> [RunRecord]
    func run(_ id: RunID) throws(StoreError) -> RunRecord?
    func countsByState() throws(StoreError) -> [RunState: Int]
    func automationStates() throws(StoreError) -> [AutomationState]

    // MARK: Approvals

    func park(_ approval: PendingApproval) throws(StoreError) -> String
    func answer(run: RunID, call: String, approve: Bool, now: Instant) throws(ApprovalError)
    func settle(run: RunID, call: String, now: Instant) throws(StoreError) -> ApprovalVerdict?
    func resume(run: RunID) throws(StoreError)
    func approvals(run: RunID?, pendingOnly: Bool) throws(StoreError) -> [PendingApproval]
}

/// The defaults callers leave out.
extension AutomationStore {
    /// Records how the run ended when `owner` still holds it, whatever the lease's generation.
    public func finish(_ id: RunID, owner: LeaseOwner, outcome: RunOutcome, now: Instant) throws(StoreError) -> FinishResult {
        try finish(id, owner: owner, generation: nil, outcome: outcome, now: now)
    }

    public func admitDelivery(
        automation: Automation, replayKeys: [String], body: String, receivedAt: Instant, debounce: AutomationDuration?
    ) throws(StoreError) -> DeliveryAdmission {
        try admitDelivery(
            automation: automation, replayKeys: replayKeys, body: body, receivedAt: receivedAt, debounce: debounce,
            replayWindow: SchedulerStore.defaultReplayWindow)
    }

    public func runs(automationID: String? = nil, limit: Int = 50) throws(StoreError) -> [RunRecord] {
        try runs(automationID: automationID, limit: limit)
    }

    public func approvals(run: RunID? = nil, pendingOnly: Bool = false) throws(StoreError) -> [PendingApproval] {
        try approvals(run: run, pendingOnly: pendingOnly)
    }

    public func startManual(
        _ automation: Automation, owner: LeaseOwner, now: Instant, leaseSeconds: Int64
    ) throws(StoreError) -> RunRecord? {
        try startManual(automation, owner: owner, now: now, leaseSeconds: leaseSeconds, consuming: nil)
    }
}
