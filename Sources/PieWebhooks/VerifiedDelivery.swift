import PieAutomations

/// A delivery whose signature checked out, handed to the sink to queue. The body is untrusted
/// data: the run sees it only inside a delimited data block after the automation's own prompt.
public struct VerifiedDelivery: Sendable {
    public var automationID: AutomationID
    /// Every key the replay cache must check and remember (delivery id if sent, and signature).
    public var replayKeys: [ReplayKey]
    /// How long those keys are remembered.
    public var replayWindow: ReplayWindow
    /// The raw body bytes, exactly as received (at most the listener's body cap).
    public var body: [UInt8]
    /// When the listener finished reading the body (the injected clock's time).
    public var receivedAt: Instant
    /// The automation's `debounce` (zero seconds: none).
    public var debounce: DebounceWindow

    public init(
        automationID: AutomationID, replayKeys: [ReplayKey], replayWindow: ReplayWindow, body: [UInt8],
        receivedAt: Instant, debounce: DebounceWindow
    ) {
        (self.automationID, self.replayKeys, self.replayWindow, self.body, self.receivedAt, self.debounce) =
            (automationID, replayKeys, replayWindow, body, receivedAt, debounce)
    }
}
