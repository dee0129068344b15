import Synchronization

/// Runs observing hooks off the agent loop, one at a time in the order their events happened.
/// The loop only enqueues (a lock and an append) and never waits; the queue holds at most
/// `capacity` runs, and events that arrive while it is full are dropped, counted and reported
/// (the first drop, then every hundredth), so a slow hook cannot slow the agent or grow memory.
public final class HookQueue: Sendable {
    public typealias Job = @Sendable () async -> Void

    private let continuation: AsyncStream<Job>.Continuation
    private let worker: Task<Void, Never>
    private let dropped = Mutex(0)
    private let onWarning: @Sendable (String) -> Void
    public let capacity: Int

    public init(capacity: Int = 256, onWarning: @escaping @Sendable (String) -> Void) {
        let (stream, continuation) = AsyncStream<Job>.makeStream(bufferingPolicy: .bufferingOldest(capacity))
        self.continuation = continuation
        self.capacity = capacity
        self.onWarning = onWarning
        worker = Task {
            for await job in stream { await job() }
        }
    }

    /// Queues `job`; never blocks.
    public func submit(_ job: @escaping Job) {
        let why: String
        switch continuation.yield(job) {
        case .enqueued: return
        case .dropped: why = "\(capacity) were already waiting (a hook is slow; check its timeout_ms)"
        case .terminated: why = "the run had already ended"
        @unknown default: return
        }
        let count = dropped.withLock { count in
            count += 1
            return count
        }
        if count == 1 || count % 100 == 0 {
            onWarning("hooks fall behind: \(count) hook run\(count == 1 ? "" : "s") dropped because \(why)")
        }
    }

    /// Hook runs dropped so far.
    public var droppedCount: Int { dropped.withLock { $0 } }

    /// Lets every queued run finish (each is bounded by its `timeout_ms`) and stops taking more:
    /// called when the run is over, so `agent_end` hooks run before pie exits.
    public func drain() async {
        continuation.finish()
        await worker.value
    }
}
