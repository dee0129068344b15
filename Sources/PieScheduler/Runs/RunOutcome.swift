/// How an executed run ended, as the executor reports it and the store records it.
public struct RunOutcome: Sendable, Equatable {
    /// succeeded, failed, timed_out, interrupted or needs_approval.
    public var state: RunState
    /// Why it did not succeed, naming the limit or the error.
    public var reason: String?
    public var finalMessage: String?
    public var tokens: Int
    public var cost: Double
    public var sessionID: String?
    public var sessionPath: String?
    /// Whether the automation's `retries` apply: an interruption or a failed model call may pass
    /// on a second try; an exceeded budget, a timeout or a file that does not build will not.
    public var retryable: Bool

    public init(
        state: RunState, reason: String? = nil, finalMessage: String? = nil, tokens: Int = 0, cost: Double = 0,
        sessionID: String? = nil, sessionPath: String? = nil, retryable: Bool = false
    ) {
        (self.state, self.reason, self.finalMessage, self.tokens, self.cost) = (state, reason, finalMessage, tokens, cost)
        (self.sessionID, self.sessionPath, self.retryable) = (sessionID, sessionPath, retryable)
    }
}
