import Glibc
import PieAutomations

/// The listener's source of "now": the Slack timestamp window and each delivery's `receivedAt`
/// read it, so tests inject a fixed or stepping clock.
public protocol WebhookClock: Sendable {
    func now() -> Instant
}

/// The system's real-time clock.
public struct SystemWebhookClock: WebhookClock {
    public init() {}

    public func now() -> Instant { Instant(secondsSinceEpoch: Int64(time(nil))) }
}
