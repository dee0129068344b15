import PieAgent
import PieSandbox
import Synchronization

/// Puts one question at a time to `base`. Sub-agents run side by side but share one person and
/// one terminal: two questions at once would interleave on the screen and split the typed
/// answers between them, so a "y" meant for one call could approve another. A question waiting
/// its turn whose task is cancelled is never shown and counts as a no.
struct OneAtATimeApprover: Approver {
    let base: any Approver
    let turnstile = Turnstile()

    func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
        guard await turnstile.enter() else {
            return ApprovalAnswer(
                approved: false, source: .nobody, note: "the turn was cancelled before the question could be shown")
        }
        defer { turnstile.leave() }
        return await base.approve(request)
    }
}

/// A first-come, first-served lock for async code: `enter` waits its turn (false when its task
/// is cancelled meanwhile), `leave` lets the next one in.
final class Turnstile: Sendable {
    private struct State {
        var busy = false
        var waiting: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
        /// Waits cancelled before they were queued.
        var cancelled: Set<Int> = []
        var next = 0
    }

    private let state = Mutex(State())

    func enter() async -> Bool {
        let id = state.withLock { state -> Int in
            state.next += 1
            return state.next
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let now = state.withLock { state -> Bool? in
                    if state.cancelled.contains(id) { return false }
                    guard state.busy else {
                        state.busy = true
                        return true
                    }
                    state.waiting.append((id, continuation))
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.waiting.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return state.waiting.remove(at: index).continuation
            }
            waiter?.resume(returning: false)
        }
    }

    /// How many wait for their turn now.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.waiting.isEmpty else {
                state.busy = false
                return nil
            }
            return state.waiting.removeFirst().continuation
        }
        next?.resume(returning: true)
    }
}
