/// Measures a sub-agent's wall-time budget. A seam so tests end a budget when they choose,
/// without sleeping through it.
public protocol TaskClock: Sendable {
    /// Returns when `duration` has passed; throws when the waiting task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The clock pie runs with: the process's monotonic clock.
public struct ContinuousTaskClock: TaskClock {
    public init() {}

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
