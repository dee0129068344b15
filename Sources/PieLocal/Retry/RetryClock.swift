/// Time as the retry layer sees it, injectable so tests run retry schedules instantly.
public protocol RetryClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    func now() -> Duration
    /// Waits; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real clock.
public struct SystemRetryClock: RetryClock {
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant

    public init() {
        origin = clock.now
    }

    public func now() -> Duration { clock.now - origin }

    public func sleep(for duration: Duration) async throws {
        try await clock.sleep(for: duration)
    }
}
