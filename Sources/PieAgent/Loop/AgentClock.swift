/// Measures an agent run's wall-time bounds: the whole run's `AgentConfiguration.turnTimeout` and
/// a sub-agent's time budget. A seam so tests end a bound when they choose, without sleeping
/// through it.
public protocol AgentClock: Sendable {
    /// Returns when `duration` has passed; throws when the waiting task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The clock pie runs with: the process's monotonic clock.
public struct ContinuousAgentClock: AgentClock {
    public init() {}

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
