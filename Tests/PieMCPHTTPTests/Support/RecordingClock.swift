import PieLocal
import Synchronization

/// A clock for reconnection delays: waits shorter than `horizon` end at once and are remembered,
/// so delays are checked by value (the server's `retry:`, the policy's backoff) instead of being
/// slept through. Longer waits (request timeouts, the 5 s bound on `close()`'s DELETE) end only
/// when cancelled, as if the test's few moments never reached them.
final class RecordingClock: RetryClock {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))
    let horizon: Duration

    init(horizon: Duration = .seconds(2)) {
        self.horizon = horizon
    }

    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    func now() -> Duration { state.withLock { $0.now } }

    func sleep(for duration: Duration) async throws {
        guard duration < horizon else {
            try await Task.sleep(for: .seconds(24 * 3600))
            return
        }
        state.withLock {
            $0.sleeps.append(duration)
            $0.now += duration
        }
        await Task.yield()
        try Task.checkCancellation()
    }
}
