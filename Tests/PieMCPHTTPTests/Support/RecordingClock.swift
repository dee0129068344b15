import PieLocal
import Synchronization

/// A clock for reconnection delays and timeouts. Waits shorter than `horizon` end at once and are
/// remembered, so delays are checked by value (the server's `retry:`, the policy's backoff)
/// instead of being slept through. Longer waits (request timeouts, the 5 s bound on `close()`'s
/// DELETE) end only when cancelled or when the test calls `passHorizon()`, which is how a test
/// makes a timeout fire at the moment it chooses.
final class RecordingClock: RetryClock {
    private struct State {
        var now: Duration = .zero
        var sleeps: [Duration] = []
        var passed = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
        /// Waiters cancelled before their continuation was stored.
        var cancelled: Set<Int> = []
    }

    private let state = Mutex(State())
    let horizon: Duration

    init(horizon: Duration = .seconds(2)) {
        self.horizon = horizon
    }

    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    func now() -> Duration { state.withLock { $0.now } }

    func sleep(for duration: Duration) async throws {
        guard duration < horizon else {
            try await waitPastHorizon()
            return
        }
        state.withLock {
            $0.sleeps.append(duration)
            $0.now += duration
        }
        await Task.yield()
        try Task.checkCancellation()
    }

    /// Ends every long wait now and later: the time they wait for has come.
    func passHorizon() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.passed = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiting.forEach { $0.resume() }
    }

    private func waitPastHorizon() async throws {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if state.passed { return .success(()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let waiter = state.waiters.removeValue(forKey: id) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
