import PieAutomations
import PieWebhooks
import Synchronization

/// An injected clock a test sets.
final class TestClock: WebhookClock {
    private let instant: Mutex<Instant>

    init(_ seconds: Int64) { instant = Mutex(Instant(secondsSinceEpoch: seconds)) }

    func now() -> Instant { instant.withLock { $0 } }

    func set(_ seconds: Int64) { instant.withLock { $0 = Instant(secondsSinceEpoch: seconds) } }
}

/// A scheduler stand-in for /metrics: a fixed snapshot, or a failure.
struct FixedMetrics: SchedulerMetricsSource {
    var snapshot: SchedulerMetricsSnapshot?

    struct Down: Error {}

    func metricsSnapshot() async throws -> SchedulerMetricsSnapshot {
        guard let snapshot else { throw Down() }
        return snapshot
    }
}

/// Collects the listener's events.
final class EventLog: Sendable {
    private let events = Mutex<[WebhookEvent]>([])

    func record(_ event: WebhookEvent) { events.withLock { $0.append(event) } }

    var all: [WebhookEvent] { events.withLock { $0 } }
}
