@_spi(ExperimentalCustomExecutors) import _Concurrency
import NIOConcurrencyHelpers

/// The main actor's executor in `serve`: main-actor jobs, in order, on the thread that calls
/// `run()` (the process's main thread). Waiting for work it blocks on a condition variable, with
/// no timer: the main dispatch queue it replaces is part of libdispatch, whose worker pool wakes
/// the process every second.
package final class MainThreadExecutor: MainExecutor, @unchecked Sendable {
    /// True while jobs are queued or a stop is asked; guards `jobs` and `stopRequested`.
    private let state = ConditionLock(value: false)
    private var jobs: [UnownedJob] = []
    private var stopRequested = false

    package init() {}

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        state.lock()
        jobs.append(job)
        state.unlock(withValue: true)
    }

    /// Runs jobs until `stop()`.
    package func run() {
        drain(until: { false })
    }

    /// Runs jobs until `condition` holds after one (or `stop()`).
    package func runUntil(_ condition: () -> Bool) {
        guard !condition() else { return }
        drain(until: condition)
    }

    package func stop() {
        state.lock()
        stopRequested = true
        state.unlock(withValue: true)
    }

    private func drain(until condition: () -> Bool) {
        let executor = asUnownedSerialExecutor()
        while true {
            state.lock(whenValue: true)
            if stopRequested {
                stopRequested = false
                state.unlock(withValue: !jobs.isEmpty)
                return
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            state.unlock(withValue: false)
            for job in batch {
                job.runSynchronously(on: executor)
            }
            if condition() { return }
        }
    }
}
