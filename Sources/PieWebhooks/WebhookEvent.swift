import PieAutomations

/// One request's outcome, for the scheduler's log (one JSON line each with `--log-format json`).
/// It carries no body bytes and no signature: the log is not a copy of untrusted input.
public struct WebhookEvent: Sendable, Equatable {
    /// The automation the path belongs to (nil for an unknown path or /metrics).
    public var automationID: AutomationID?
    public var method: String
    public var path: String
    public var outcome: DeliveryOutcome
    /// Why it was not accepted (the text sent back), or nil.
    public var detail: String?
    /// The run queued or joined, when accepted.
    public var runID: String?

    /// The longest path an event or a reply repeats; a longer one is cut, since an unknown path
    /// is whatever a client sent.
    static let pathLimit = 200

    static func shown(_ path: String) -> String {
        path.count <= pathLimit ? path : String(path.prefix(pathLimit)) + "…"
    }
}
