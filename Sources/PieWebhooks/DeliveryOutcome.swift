/// What became of one request to the listener: the `outcome` label of
/// `pie_webhook_deliveries_total` and of the listener's log events.
public enum DeliveryOutcome: String, Sendable, CaseIterable {
    /// Verified and queued as a new run (202).
    case queued
    /// Verified and joined a run waiting out its debounce (202).
    case coalesced
    /// Slack's signed url_verification handshake, answered with its challenge (200); no run.
    case challenge
    /// Missing, malformed or wrong signature, or a stale Slack timestamp (401).
    case unauthorized
    /// A key was seen within the replay window (409).
    case replayed
    /// The body exceeded the cap (413).
    case tooLarge = "too_large"
    /// No automation serves the path (404).
    case notFound = "not_found"
    /// A method other than POST on a webhook path, or other than GET on /metrics (405).
    case methodNotAllowed = "method_not_allowed"
    /// The automation's secret was not set at start-up (503).
    case refused
    /// The sink or libcrypto failed; nothing was queued (503).
    case failed

    /// The HTTP status this outcome is answered with.
    public var status: Int {
        switch self {
        case .queued, .coalesced: 202
        case .challenge: 200
        case .unauthorized: 401
        case .replayed: 409
        case .tooLarge: 413
        case .notFound: 404
        case .methodNotAllowed: 405
        case .refused, .failed: 503
        }
    }
}
