/// When and how long to wait before trying a failed model call again
/// (`--provider-max-retries`, `--provider-retry-budget-ms`, `--provider-retry-jitter`).
///
/// Backoff doubles from `baseDelayMilliseconds`; a server's `Retry-After` replaces it. Only
/// retryable failures are retried (`ProviderError.isRetryable`). A delay that would overrun
/// the budget, or a `Retry-After` beyond `maxDelayMilliseconds`, fails at once and says so
/// rather than leaving the user waiting.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt.
    public var maxRetries: Int
    public var baseDelayMilliseconds: Int
    public var maxDelayMilliseconds: Int
    /// Scales computed delays into [50 %, 100 %] so clients that failed together spread out.
    public var jitter: Bool
    /// Total time allowed from the first attempt, including time spent in requests; 0 = none.
    public var budgetMilliseconds: Int

    public init(
        maxRetries: Int = 2, baseDelayMilliseconds: Int = 500, maxDelayMilliseconds: Int = 60_000, jitter: Bool = true,
        budgetMilliseconds: Int = 0
    ) {
        self.maxRetries = maxRetries
        self.baseDelayMilliseconds = baseDelayMilliseconds
        self.maxDelayMilliseconds = maxDelayMilliseconds
        self.jitter = jitter
        self.budgetMilliseconds = budgetMilliseconds
    }

    public enum Decision: Sendable, Hashable {
        case retry(afterMilliseconds: Int)
        case giveUp(ProviderError)
    }

    /// - Parameters:
    ///   - retriesSoFar: retries already made for this model (0 after the first failure).
    ///   - elapsedMilliseconds: time since the first attempt began.
    ///   - unitRandom: a value in [0, 1) for jitter.
    public func decide(
        after error: ProviderError, retriesSoFar: Int, elapsedMilliseconds: Int, unitRandom: Double
    ) -> Decision {
        guard error.isRetryable, retriesSoFar < maxRetries else { return .giveUp(error) }
        let delay: Int
        if case .http(_, let retryAfter?, _) = error {
            guard retryAfter <= maxDelayMilliseconds else {
                return .giveUp(.retryDelayBeyondBudget(
                    requestedMilliseconds: retryAfter, budgetMilliseconds: maxDelayMilliseconds, underlying: error.message))
            }
            delay = retryAfter
        } else {
            let exponential = baseDelayMilliseconds << min(retriesSoFar, 16)
            let capped = min(exponential, maxDelayMilliseconds)
            delay = jitter ? Int(Double(capped) * (0.5 + 0.5 * min(max(unitRandom, 0), 1))) : capped
        }
        if budgetMilliseconds > 0 && elapsedMilliseconds + delay > budgetMilliseconds {
            return .giveUp(.retryDelayBeyondBudget(
                requestedMilliseconds: delay, budgetMilliseconds: budgetMilliseconds - elapsedMilliseconds,
                underlying: error.message))
        }
        return .retry(afterMilliseconds: delay)
    }
}
