import PieAutomations
import Synchronization

/// Fired jobs waiting for their turn: the session runs one turn at a time, so a job that fires
/// while a turn runs (or while the user is typing) waits until the session is free. A job waits
/// at most once: another tick of a job that is still waiting is skipped and counted, and the count
/// is shown when the job runs (`SessionJobs` docs: "a tick while a turn is running").
public final class TurnQueue: Sendable {
    /// A job ready to run as a user turn.
    public struct Firing: Sendable, Equatable {
        public var job: SessionJob
        /// The tick or event it runs for.
        public var instant: Instant
        /// What fired it, for the line shown before the turn (`tick 09:00`, `file created`).
        public var cause: String
        /// Later ticks skipped while it waited.
        public var skipped: Int
    }

    private let pending = Mutex<[Firing]>([])
    private let arrived = Mutex<@Sendable () -> Void>({})

    public init() {}

    /// Called (from the ticker's task or a trigger's thread) when a job is queued, so a prompt
    /// waiting for input can give the turn to it.
    public func onArrival(_ action: @escaping @Sendable () -> Void) {
        arrived.withLock { $0 = action }
    }

    /// Queues a firing; false when the job was already waiting (this tick is then skipped and
    /// counted on the waiting one).
    @discardableResult
    public func offer(_ job: SessionJob, instant: Instant, cause: String) -> Bool {
        let queued = pending.withLock { pending -> Bool in
            if let index = pending.firstIndex(where: { $0.job.id == job.id }) {
                pending[index].skipped += 1
                return false
            }
            pending.append(Firing(job: job, instant: instant, cause: cause, skipped: 0))
            return true
        }
        if queued { arrived.withLock { $0 }() }
        return queued
    }

    /// The oldest waiting firing.
    public func take() -> Firing? {
        pending.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }

    /// Drops what a removed or disabled job left waiting.
    public func discard(_ id: String) {
        pending.withLock { $0.removeAll { $0.job.id == id } }
    }

    public var isEmpty: Bool { pending.withLock { $0.isEmpty } }
}
