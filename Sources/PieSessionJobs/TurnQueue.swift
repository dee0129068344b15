import PieAutomations
import Synchronization

/// Fired jobs waiting for their turn: the session runs one turn at a time, so a job that fires
/// while a turn runs (or while the user is typing) waits until the session is free. A job waits
/// at most once: another tick of a job that is still waiting is skipped, reported and counted, and
/// the count is shown when the job runs (docs/automations.md, "Session jobs").
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

        public init(job: SessionJob, instant: Instant, cause: String, skipped: Int) {
            (self.job, self.instant, self.cause, self.skipped) = (job, instant, cause, skipped)
        }
    }

    /// What became of an offered firing.
    public enum Offer: Sendable, Equatable {
        /// Queued: it runs when the session is free.
        case queued(Firing)
        /// Skipped: `waiting` (the job's earlier firing, its count updated) has not run yet.
        case skipped(instant: Instant, waiting: Firing)
    }

    private let pending = Mutex<[Firing]>([])
    private let observer = Mutex<@Sendable (Offer) -> Void>({ _ in })

    public init() {}

    /// Called (from the ticker's task or a trigger's thread) after every offer: a prompt waiting
    /// for input gives the turn to a queued job; a skip is shown to the user.
    public func onOffer(_ action: @escaping @Sendable (Offer) -> Void) {
        observer.withLock { $0 = action }
    }

    /// Queues a firing; false when the job was already waiting (this one is then skipped and
    /// counted on the waiting one).
    @discardableResult
    public func offer(_ job: SessionJob, instant: Instant, cause: String) -> Bool {
        let outcome = pending.withLock { pending -> Offer in
            if let index = pending.firstIndex(where: { $0.job.id == job.id }) {
                pending[index].skipped += 1
                return .skipped(instant: instant, waiting: pending[index])
            }
            let firing = Firing(job: job, instant: instant, cause: cause, skipped: 0)
            pending.append(firing)
            return .queued(firing)
        }
        observer.withLock { $0 }(outcome)
        if case .queued = outcome { return true }
        return false
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
