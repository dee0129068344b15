import PieAutomations

/// A run about to be inserted, with the automation's retry settings copied in so that a retry
/// can be queued from the store alone (after a crash, with no file loaded).
struct NewRun {
    var automationFile: String
    var automationID: String
    var trigger: TriggerKind
    var tick: Instant?
    var scheduledAt: Instant
    var notBefore: Instant
    var maxAttempts: Int
    var backoffSeconds: Int64
    var state = RunState.queued
    var attempt = 1
    var retryOf: RunID?
    var reason: String?
    var payload: String?

    init(_ automation: Automation, trigger: TriggerKind, tick: Instant?, scheduledAt: Instant, notBefore: Instant, payload: String? = nil) {
        automationFile = automation.path
        automationID = automation.id.rawValue
        self.trigger = trigger
        self.tick = tick
        self.scheduledAt = scheduledAt
        self.notBefore = notBefore
        maxAttempts = automation.run.retries + 1
        backoffSeconds = automation.run.backoff.seconds
        self.payload = payload
    }

    /// The next attempt of `run`, after exponential backoff from `now`.
    init(retrying run: RunRecord, now: Instant) {
        automationFile = run.automationFile
        automationID = run.automationID
        trigger = run.trigger
        tick = run.tick
        scheduledAt = run.scheduledAt
        maxAttempts = run.maxAttempts
        backoffSeconds = run.backoffSeconds
        attempt = run.attempt + 1
        retryOf = run.id
        payload = run.payload
        notBefore = Instant(secondsSinceEpoch: now.secondsSinceEpoch + Self.backoff(run.backoffSeconds, attempt: run.attempt))
    }

    /// `backoff × 2^(attempt − 1)`, at most a day.
    static func backoff(_ base: Int64, attempt: Int) -> Int64 {
        let doublings = min(max(attempt - 1, 0), 20)
        return min(base << Int64(doublings), 86_400)
    }
}
