@_spi(ExperimentalScheduling) import _Concurrency
import Glibc
import NIOPosix
import PieSystem
import NIOConcurrencyHelpers
import Testing

@testable import PieServe

/// serve's executors (docs/architecture.md, "An idle serve"): tasks on SwiftNIO's event loops,
/// sleeps as loop timers, the main actor's jobs on the thread that runs the main executor.
@Suite struct ServeExecutorsTests {
    @Test("a task on the event-loop executor runs on an event loop, and so does its code after a sleep")
    func tasksRunOnEventLoops() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopTaskExecutor(group: group)
        let (before, after) = try await Task(executorPreference: executor) {
            let before = MultiThreadedEventLoopGroup.currentEventLoop != nil
            try await Task.sleep(for: .milliseconds(20))
            return (before, MultiThreadedEventLoopGroup.currentEventLoop != nil)
        }.value
        #expect(before && after)
        try await group.shutdownGracefully()
    }

    @Test("a job enqueued after a delay runs on a loop, not before the delay has passed")
    func delayedJob() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopTaskExecutor(group: group)
        let clock = ContinuousClock()
        let ran = NIOLockedValueBox<(ContinuousClock.Instant, Bool)?>(nil)
        let start = clock.now
        executor.enqueue(
            _swift_createJobForTestingOnly { ran.withLock { $0 = (clock.now, MultiThreadedEventLoopGroup.currentEventLoop != nil) } },
            after: .milliseconds(200), tolerance: nil, clock: clock)
        #expect(await PollUntil.true(seconds: 30) { ran.withLock { $0 != nil } })
        let (at, onLoop) = try #require(ran.withLock { $0 })
        #expect(at - start >= .milliseconds(200))
        #expect(onLoop)
        try await group.shutdownGracefully()
    }

    @Test("the main executor runs an actor's jobs in order on the thread that runs it, until stopped")
    func mainExecutorRunsJobsOnItsThread() async throws {
        let executor = MainThreadExecutor()
        let runner = NIOLockedValueBox<pthread_t?>(nil)
        let returned = NIOLockedValueBox(false)
        let started = DetachedThread.start {
            runner.withLock { $0 = pthread_self() }
            executor.run()
            returned.withLock { $0 = true }
        }
        #expect(started)
        let actor = Recorder(executor: executor)
        for value in 0..<100 { await actor.record(value) }
        let (values, threads) = await actor.snapshot()
        #expect(values == Array(0..<100))
        let thread = try #require(runner.withLock { $0 })
        #expect(threads.allSatisfy { pthread_equal($0, thread) != 0 })
        #expect(!returned.withLock { $0 })
        executor.stop()
        #expect(await PollUntil.true(seconds: 30) { returned.withLock { $0 } })
    }

    @Test("runUntil returns once its condition holds after a job, and at once when it already holds")
    func runUntil() async throws {
        let executor = MainThreadExecutor()
        executor.runUntil { true }
        let done = NIOLockedValueBox(false)
        let returned = NIOLockedValueBox(false)
        DetachedThread.start {
            executor.runUntil { done.withLock { $0 } }
            returned.withLock { $0 = true }
        }
        let actor = Recorder(executor: executor)
        await actor.record(1)
        #expect(!returned.withLock { $0 })
        done.withLock { $0 = true }
        await actor.record(2)
        #expect(await PollUntil.true(seconds: 30) { returned.withLock { $0 } })
        #expect(await actor.snapshot().0 == [1, 2])
    }
}

/// An actor isolated to a given serial executor, recording what ran and on which thread.
private actor Recorder {
    private let executor: MainThreadExecutor
    private var values: [Int] = []
    private var threads: [pthread_t] = []

    init(executor: MainThreadExecutor) { self.executor = executor }

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    func record(_ value: Int) {
        values.append(value)
        threads.append(pthread_self())
    }

    func snapshot() -> ([Int], [pthread_t]) { (values, threads) }
}

/// Bounded polling of state another thread sets.
private enum PollUntil {
    static func `true`(seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
