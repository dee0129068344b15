import PieSystem

/// Runs blocking work (a database server's start-up, `pg_ctl`'s waits) on a thread of its own and
/// awaits its result. Tests share Swift's cooperative pool, a thread per core: a test holding one
/// for seconds stalls every other test's tasks, and timing-bound tests elsewhere then fail.
public func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let work: @Sendable () -> Void = { continuation.resume(with: Result { try body() }) }
        if !DetachedThread.start(work) { work() }
    }
}
