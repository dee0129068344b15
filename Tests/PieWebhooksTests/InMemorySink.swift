import PieAutomations
import PieWebhooks

/// TEST DOUBLE for the WebhookSink seam: the scheduler's SQLite store is the real sink. This one
/// keeps the replay cache and pending runs in memory, with the module's own window arithmetic, so
/// the listener's status codes can be checked against what was (not) queued.
actor InMemorySink: WebhookSink {
    struct Run: Equatable {
        var runID: String
        var automationID: AutomationID
        var bodies: [[UInt8]]
        var dueAt: Instant
    }

    private var seen: [String: Instant] = [:]
    private(set) var runs: [Run] = []
    private var failure: (any Error)?

    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "the store is locked" }
    }

    func failNextAdmissions(_ fail: Bool) { failure = fail ? Unavailable() : nil }

    /// When set, each admission first reports that it started and then waits for `release`: a
    /// test can hold a delivery inside the sink while it stops the listener.
    private var held: (started: AsyncStream<Void>.Continuation, release: AsyncStream<Void>)?

    func hold(started: AsyncStream<Void>.Continuation, release: AsyncStream<Void>) { held = (started, release) }

    func admit(_ delivery: VerifiedDelivery) async throws -> WebhookAdmission {
        if let failure { throw failure }
        if let held {
            self.held = nil
            held.started.yield()
            for await _ in held.release { break }
        }
        let keys = delivery.replayKeys.map { "\(delivery.automationID):\($0.storageKey)" }
        if keys.contains(where: { key in seen[key].map { delivery.replayWindow.isReplay(seenAt: $0, now: delivery.receivedAt) } ?? false }) {
            return .replayed
        }
        for key in keys { seen[key] = delivery.receivedAt }
        let pendingIndex = runs.lastIndex { $0.automationID == delivery.automationID }
        let pending = pendingIndex.map { DebounceWindow.PendingRun(runID: runs[$0].runID, dueAt: runs[$0].dueAt) }
        switch delivery.debounce.decide(now: delivery.receivedAt, pending: pending) {
        case .coalesce(let runID):
            if let pendingIndex { runs[pendingIndex].bodies.append(delivery.body) }
            return .coalesced(runID: runID)
        case .queue(let dueAt):
            let runID = "run-\(runs.count + 1)"
            runs.append(Run(runID: runID, automationID: delivery.automationID, bodies: [delivery.body], dueAt: dueAt))
            return .queued(runID: runID)
        }
    }
}
