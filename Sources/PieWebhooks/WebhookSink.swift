/// Where verified deliveries go: the scheduler's store implements it durably, checking the replay
/// cache, applying the debounce and queueing the run in one SQLite transaction, so a delivery is
/// either fully admitted or not at all. The listener answers only after `admit` returns.
public protocol WebhookSink: Sendable {
    /// Checks `delivery.replayKeys` against the cache (any one seen within the window: `.replayed`
    /// and nothing written), otherwise remembers them and queues or coalesces a run as
    /// `delivery.debounce.decide` says. Throwing means nothing was admitted (the sender gets 503).
    func admit(_ delivery: VerifiedDelivery) async throws -> WebhookAdmission
}

/// What the sink did with a delivery.
public enum WebhookAdmission: Sendable, Hashable {
    /// A new run was queued (202).
    case queued(runID: String)
    /// The delivery joined a run still waiting out its debounce (202, that run's id).
    case coalesced(runID: String)
    /// A key of the delivery was seen within the replay window (409); nothing was queued.
    case replayed
}
