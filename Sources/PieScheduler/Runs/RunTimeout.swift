import Synchronization

/// A run's `timeout`, counted in real time while the run works and paused while it waits for a
/// person's approval: a parked run ends by `approval_timeout` (a deny, and the run goes on), not
/// by a `timeout` that would otherwise run out first (30 m by default, against an hour to answer).
final class RunTimeout: Sendable {
    private struct State {
        var used: Duration = .zero
        /// When the current stretch of work began (on `clock`); nil while parked.
        var since: Duration?
        var parked = 0
    }

    let limit: Duration
    private let clock: WorkClock
    private let state: Mutex<State>

    init(limit: Duration, clock: WorkClock = .system) {
        self.limit = limit
        self.clock = clock
        state = Mutex(State(since: clock.now()))
    }

    func pause() {
        state.withLock { state in
            state.parked += 1
            if let since = state.since {
                state.used += clock.now() - since
                state.since = nil
            }
        }
    }

    func resume() {
        state.withLock { state in
            state.parked = max(0, state.parked - 1)
            if state.parked == 0, state.since == nil { state.since = clock.now() }
        }
    }

    /// The working time left; nil while parked.
    func left() -> Duration? {
        state.withLock { state in
            guard let since = state.since else { return nil }
            return limit - state.used - (clock.now() - since)
        }
    }

    /// Runs `work`, cancelling it when the working time is used up (the caller's cancellation is
    /// forwarded too). Returns its result and whether the timeout ended it.
    func run<T: Sendable>(_ work: @escaping @Sendable () async -> T) async -> (T, timedOut: Bool) {
        let body = Task { await work() }
        let watch = Task { () -> Bool in
            while !Task.isCancelled {
                let left = left()
                if let left, left <= .zero {
                    body.cancel()
                    return true
                }
                // While parked, look again now and then; the approver resumes the count.
                do { try await clock.sleep(left.map { min($0, .seconds(1)) } ?? .milliseconds(200)) } catch { return false }
            }
            return false
        }
        let value = await withTaskCancellationHandler {
            await body.value
        } onCancel: {
            body.cancel()
        }
        watch.cancel()
        return (value, await watch.value)
    }
}
