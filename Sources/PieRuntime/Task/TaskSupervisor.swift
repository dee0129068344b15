import PieLocal
import Synchronization

/// Every sub-agent a parent agent has running, so that one stop reaches them all: the parent's
/// owner calls `stopAll` (a budget spent elsewhere, a shutdown) and every running sub-agent is
/// cancelled, and none starts afterwards. Ctrl+C and the parent's timeout need none of this: they
/// cancel the parent's task, and the sub-agents run inside it.
///
/// `limitUsage` lets the owner count what sub-agents spend against its own budget: each
/// sub-agent turn's usage is offered, and a reason returned stops every sub-agent.
public final class TaskSupervisor: Sendable {
    private struct State {
        var running: [Int: @Sendable () -> Void] = [:]
        var next = 0
        var stopped: String?
        var usageLimit: (@Sendable (Usage) -> String?)?
    }

    private let state = Mutex(State())

    public init() {}

    /// Why sub-agents were stopped; nil while they may run.
    public var stopReason: String? { state.withLock { $0.stopped } }

    /// How many sub-agents are running now.
    public var runningCount: Int { state.withLock { $0.running.count } }

    /// `check` sees each sub-agent turn's usage; a reason it returns stops every sub-agent.
    public func limitUsage(_ check: @escaping @Sendable (Usage) -> String?) {
        state.withLock { $0.usageLimit = check }
    }

    /// Cancels every running sub-agent and refuses new ones; the first reason stands.
    public func stopAll(_ reason: String) {
        let cancels = state.withLock { state -> [@Sendable () -> Void] in
            if state.stopped == nil { state.stopped = reason }
            return Array(state.running.values)
        }
        for cancel in cancels { cancel() }
    }

    /// Registers a starting sub-agent; nil (and nothing registered) once stopped.
    func start(cancel: @escaping @Sendable () -> Void) -> Int? {
        state.withLock { state -> Int? in
            guard state.stopped == nil else { return nil }
            state.next += 1
            state.running[state.next] = cancel
            return state.next
        }
    }

    func finish(_ ticket: Int) {
        _ = state.withLock { $0.running.removeValue(forKey: ticket) }
    }

    /// A sub-agent's turn used `usage`: true when it must stop (and the others are stopped too).
    func record(_ usage: Usage?) -> Bool {
        let (check, stopped) = state.withLock { ($0.usageLimit, $0.stopped) }
        if stopped != nil { return true }
        guard let check, let usage, let reason = check(usage) else { return false }
        stopAll(reason)
        return true
    }
}
