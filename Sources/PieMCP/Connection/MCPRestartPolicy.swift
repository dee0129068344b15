/// When a server that died is started again: exponential backoff from `initialDelayMs`, doubling
/// up to `maxDelayMs`, for at most `maxAttempts` attempts in a row (a successful start resets the
/// count). pie's defaults are those of c4pt0r/pie's `reconnect` table: 500 ms, 30 s.
public struct MCPRestartPolicy: Sendable, Equatable {
    public var initialDelayMs: Int
    public var maxDelayMs: Int
    public var maxAttempts: Int

    public init(initialDelayMs: Int = 500, maxDelayMs: Int = 30_000, maxAttempts: Int = 5) {
        self.initialDelayMs = initialDelayMs
        self.maxDelayMs = maxDelayMs
        self.maxAttempts = maxAttempts
    }

    /// No restarts: a server that dies stays down (`pie mcp call`, `pie mcp doctor`).
    public static let never = MCPRestartPolicy(maxAttempts: 0)

    /// The wait before attempt `attempt` (1-based).
    public func delayMs(attempt: Int) -> Int {
        var delay = max(initialDelayMs, 0)
        for _ in 1..<max(attempt, 1) {
            delay = min(delay * 2, maxDelayMs)
            if delay >= maxDelayMs { break }
        }
        return min(delay, maxDelayMs)
    }
}

/// Waits for the supervisor's backoff. Injected, so tests advance time instead of sleeping.
public protocol MCPClock: Sendable {
    /// Returns after `milliseconds`; throws when the waiting task is cancelled.
    func sleep(milliseconds: Int) async throws
}

/// Real time.
public struct MCPSystemClock: MCPClock {
    public init() {}

    public func sleep(milliseconds: Int) async throws {
        try await Task.sleep(for: .milliseconds(milliseconds))
    }
}
