/// The clock a run's working time is measured on (`RunTimeout`): monotonic time and a sleep,
/// injected so tests move time by hand instead of waiting through it.
public struct WorkClock: Sendable {
    /// Time since an arbitrary fixed point; only differences matter.
    public var now: @Sendable () -> Duration
    /// Suspends for `duration` of this clock's time; throws when the calling task is cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(now: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// The process's monotonic clock.
    public static let system: WorkClock = {
        let origin = ContinuousClock.now
        return WorkClock(now: { ContinuousClock.now - origin }, sleep: { try await Task.sleep(for: $0) })
    }()
}
