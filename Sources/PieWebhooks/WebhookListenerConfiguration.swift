import PieAutomations

/// The listener's settings, with the defaults `pie automations serve` uses.
public struct WebhookListenerConfiguration: Sendable {
    /// One mebibyte: webhook payloads are JSON of a few kilobytes (GitHub caps its own at 25 MB,
    /// but a body this listener queues is also one the model may be shown, capped again).
    public static let standardBodyLimit = 1 << 20

    /// Where to bind (`--listen`); port 0 picks a free port (tests, the benchmark).
    public var address: ListenAddress
    /// The largest body accepted, in bytes; a larger one gets 413 and its connection is closed
    /// without reading the rest.
    public var bodyLimit: Int
    /// How long accepted deliveries' keys are remembered.
    public var replayWindow: ReplayWindow
    /// A connection with no traffic for this long is closed, so idle or stalled clients cannot
    /// hold connections open indefinitely (a sender's keep-alive reconnects when it needs to).
    public var idleTimeoutSeconds: Int64

    /// Thirty seconds: far longer than a sender pauses inside one request.
    public static let standardIdleTimeoutSeconds: Int64 = 30

    public init(
        address: ListenAddress = .standard, bodyLimit: Int = Self.standardBodyLimit, replayWindow: ReplayWindow = .standard,
        idleTimeoutSeconds: Int64 = Self.standardIdleTimeoutSeconds
    ) {
        (self.address, self.bodyLimit, self.replayWindow) = (address, max(0, bodyLimit), replayWindow)
        self.idleTimeoutSeconds = max(1, idleTimeoutSeconds)
    }
}
