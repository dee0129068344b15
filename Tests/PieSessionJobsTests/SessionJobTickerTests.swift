import PieAutomations
import PieSessionJobs
import Synchronization
import Testing

@Suite("session job ticker and turn queue on an injected clock")
struct SessionJobTickerTests {
    func store(_ scratch: ScratchSession) -> SessionJobStore {
        let store = SessionJobStore(rules: rules)
        store.open(sessionPath: scratch.sessionPath)
        return store
    }

    @Test("a tick queues the job; ticks while it still waits are skipped and counted on it")
    func queueAndSkip() throws {
        let scratch = try ScratchSession()
        defer { scratch.remove() }
        let store = store(scratch)
        _ = try store.add(.cron(expression: "* * * * *", timezone: nil), prompt: "minutely", origin: .user, fireOnce: false, now: instant(start))
        let clock = TestClock(start)
        let queue = TurnQueue()
        let ticker = SessionJobTicker(store: store, clock: clock, queue: queue, notice: { _ in })
        ticker.rearm()
        #expect(ticker.fireDue().isEmpty)
        clock.set(start + 30)
        #expect(ticker.fireDue().count == 1)
        clock.set(start + 90)
        #expect(ticker.fireDue().count == 1)
        clock.set(start + 150)
        #expect(ticker.fireDue().count == 1)
        let firing = try #require(queue.take())
        #expect(firing.job.prompt == "minutely")
        #expect(firing.instant == instant(start + 30))
        #expect(firing.skipped == 2)
        #expect(queue.take() == nil)
    }

    @Test("an at job fires once and is recorded in the file; one passed while closed is recorded as missed")
    func atOnce() throws {
        let scratch = try ScratchSession()
        defer { scratch.remove() }
        let store = store(scratch)
        _ = try store.add(.at(instant(start + 60), text: "2027-01-15T08:01:30Z"), prompt: "once", origin: .model, fireOnce: true, now: instant(start))
        _ = try store.add(.at(instant(start + 120), text: "2027-01-15T08:02:30Z"), prompt: "missed", origin: .model, fireOnce: true, now: instant(start))
        let clock = TestClock(start + 60)
        let queue = TurnQueue()
        let notices = Mutex<[String]>([])
        let ticker = SessionJobTicker(store: store, clock: clock, queue: queue, notice: { line in notices.withLock { $0.append(line) } })
        ticker.rearm()
        #expect(ticker.fireDue().map(\.job.id) == ["t1"])
        #expect(store.snapshot.job("t1")?.enabled == false)
        #expect(store.snapshot.job("t1")?.firedAt == instant(start + 60))

        // The session closes; it is opened again after t2's time.
        let reopened = SessionJobStore(rules: rules)
        reopened.open(sessionPath: scratch.sessionPath)
        clock.set(start + 500)
        let later = SessionJobTicker(store: reopened, clock: clock, queue: TurnQueue(), notice: { line in notices.withLock { $0.append(line) } })
        later.rearm()
        #expect(later.fireDue().isEmpty)
        #expect(notices.withLock { $0 }.contains { $0.hasPrefix("t2 (at 2027-01-15T08:02:30Z) passed while the session was closed") })
        #expect(reopened.snapshot.job("t2")?.enabled == false)
    }

    @Test("the running ticker wakes for a tick the clock reaches and tells the queue, without real waiting", .timeLimit(.minutes(1)))
    func running() async throws {
        let scratch = try ScratchSession()
        defer { scratch.remove() }
        let store = store(scratch)
        _ = try store.add(.every(AutomationDuration(seconds: 3600)), prompt: "hourly", origin: .user, fireOnce: false, now: instant(start))
        let clock = TestClock(start)
        let queue = TurnQueue()
        let ticker = SessionJobTicker(store: store, clock: clock, queue: queue, notice: { _ in })
        let arrived = AsyncStream<Void>.makeStream()
        queue.onOffer { offer in
            if case .queued = offer { arrived.continuation.yield() }
        }
        store.onChange { ticker.rearm() }
        ticker.rearm()
        let task = Task { await ticker.run() }
        defer { task.cancel() }
        clock.set(start + 3600)
        var iterator = arrived.stream.makeAsyncIterator()
        await iterator.next()
        let firing = try #require(queue.take())
        #expect(firing.job.id == "t1")
        #expect(firing.instant == instant(start + 3600))
    }

    @Test("a second offer of a waiting job is reported as skipped; discard drops a removed job's waiting run")
    func discard() {
        let queue = TurnQueue()
        let job = SessionJob(id: "c1", trigger: .cron(expression: "@hourly", timezone: nil), prompt: "p", origin: .user, created: instant(0))
        let offers = Mutex<[TurnQueue.Offer]>([])
        queue.onOffer { offer in offers.withLock { $0.append(offer) } }
        #expect(queue.offer(job, instant: instant(1), cause: "tick"))
        #expect(!queue.offer(job, instant: instant(2), cause: "tick"))
        let first = TurnQueue.Firing(job: job, instant: instant(1), cause: "tick", skipped: 0)
        var counted = first
        counted.skipped = 1
        #expect(offers.withLock { $0 } == [.queued(first), .skipped(instant: instant(2), waiting: counted)])
        queue.discard("c1")
        #expect(queue.isEmpty)
    }
}
