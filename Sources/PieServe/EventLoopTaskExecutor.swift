@_spi(ExperimentalScheduling) import _Concurrency
import NIOCore

/// Swift concurrency's default executor in `serve`: every task job runs on one of SwiftNIO's event
/// loops, the same threads the webhook listener serves HTTP on, and `Task.sleep` is a task
/// scheduled on a loop's timer. An idle loop blocks in `epoll_wait` until its next scheduled task,
/// so a process with nothing due sleeps; libdispatch's pool, the default executor otherwise, keeps
/// a monitor timer that wakes the process every second (docs/benchmarks.md, "An idle `serve`").
package final class EventLoopTaskExecutor: TaskExecutor, SchedulingExecutor {
    private let group: any EventLoopGroup

    package init(group: any EventLoopGroup) {
        self.group = group
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        // `any()` keeps a job that is enqueued from a loop on that loop (no thread hop).
        group.any().execute { job.runSynchronously(on: executor) }
    }

    /// `Task.sleep` on the standard clocks arrives here. Both measure `Swift.Duration`, which a
    /// loop's monotonic timer takes (clamped to Int64 nanoseconds, about 292 years); a clock
    /// with another duration type sleeps by its own means and never reaches an executor, so such
    /// a job runs at once rather than never.
    package func enqueue<C: Clock>(
        _ job: consuming ExecutorJob, after delay: C.Duration, tolerance: C.Duration?, clock: C
    ) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let loop = group.any()
        guard let delay = delay as? Duration else {
            loop.execute { job.runSynchronously(on: executor) }
            return
        }
        loop.scheduleTask(in: TimeAmount(delay)) { job.runSynchronously(on: executor) }
    }
}
