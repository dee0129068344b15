import Synchronization

/// Cancels a task that may not exist yet: a cancellation asked for before `attach` is kept and
/// applied when the task arrives, so a signal handler can be installed before the work starts.
final class PendingCancellation: Sendable {
    private struct State {
        var cancel: (@Sendable () -> Void)?
        var requested = false
    }

    private let state = Mutex(State())

    func attach<Success: Sendable>(_ task: Task<Success, Never>) {
        let cancelNow = state.withLock { state in
            state.cancel = { task.cancel() }
            return state.requested
        }
        if cancelNow { task.cancel() }
    }

    func cancel() {
        let cancel = state.withLock { state in
            state.requested = true
            return state.cancel
        }
        cancel?()
    }
}
