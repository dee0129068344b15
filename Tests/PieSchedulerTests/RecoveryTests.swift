import PieAutomations
import Testing

@testable import PieScheduler

/// A run whose process died becomes interrupted and is retried with exponential backoff, once
/// per attempt, never twice at a time.
@Suite struct RecoveryTests {
    @Test func aDeadHoldersRunIsInterruptedAndRetriedWithBackoff() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.every("tick", "1h", run: "retries = 2\nbackoff = \"30s\"")
        let trigger = try Fixture.clock(automation)
        let start = try Fixture.instant("2026-01-01T00:00:00Z")
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start)
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start.plus(3600))
        let files = [automation.path]
        let first = try #require(try store.claimNext(owner: Fixture.deadOwner, now: start.plus(3600), leaseSeconds: 600, files: files))

        // A live holder's run is left alone, however late its heartbeat.
        let live = try store.recoverAbandoned(now: start.plus(3601))
        #expect(live.count == 1 && live[0].interrupted.id == first.id)
        let retry = try #require(live[0].retry)
        #expect(try store.run(first.id)?.state == .interrupted)
        #expect(try store.run(first.id)?.reason?.contains("stopped (killed or crashed)") == true)
        let second = try #require(try store.run(retry))
        #expect(second.attempt == 2 && second.retryOf == first.id && second.tick == first.tick)
        #expect(second.notBefore == start.plus(3601 + 30))
        // Not before its backoff.
        #expect(try store.claimNext(owner: Fixture.deadOwner, now: start.plus(3620), leaseSeconds: 600, files: files) == nil)
        let taken = try #require(try store.claimNext(owner: Fixture.deadOwner, now: start.plus(3631), leaseSeconds: 600, files: files))
        #expect(taken.id == retry)
        // Recovering twice (two serve processes starting) interrupts and retries once.
        let twice = try scratch.open()
        let recovered = try store.recoverAbandoned(now: start.plus(3632))
        #expect(try twice.recoverAbandoned(now: start.plus(3632)).isEmpty)
        let thirdID = try #require(recovered.first?.retry)
        let third = try #require(try store.run(thirdID))
        // Backoff doubles: 60 s for the third attempt.
        #expect(third.attempt == 3 && third.notBefore == start.plus(3632 + 60))
        let last = try #require(try store.claimNext(owner: Fixture.deadOwner, now: start.plus(3700), leaseSeconds: 600, files: files))
        #expect(last.id == third.id)
        // Attempts exhausted (retries = 2): interrupted, no further retry.
        let final = try store.recoverAbandoned(now: start.plus(3701))
        #expect(final.count == 1 && final[0].retry == nil)
        let states = try store.runs().map(\.state)
        #expect(states == [.interrupted, .interrupted, .interrupted])
    }

    @Test func aLiveHolderKeepsItsRun() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.every("tick", "1m")
        let start = try Fixture.instant("2026-01-01T00:00:00Z")
        _ = try store.claimDueTicks(automation, trigger: Fixture.clock(automation), now: start)
        _ = try store.claimDueTicks(automation, trigger: Fixture.clock(automation), now: start.plus(60))
        let run = try #require(try store.claimNext(owner: .current(), now: start.plus(60), leaseSeconds: 10, files: [automation.path]))
        // Long past the lease's expiry: this process is alive, so nothing is interrupted.
        #expect(try store.recoverAbandoned(now: start.plus(10_000)).isEmpty)
        #expect(try store.run(run.id)?.state == .running)
    }

    @Test func anExpiredLeaseOnAnotherHostIsInterrupted() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.every("tick", "1m")
        let start = try Fixture.instant("2026-01-01T00:00:00Z")
        _ = try store.claimDueTicks(automation, trigger: Fixture.clock(automation), now: start)
        _ = try store.claimDueTicks(automation, trigger: Fixture.clock(automation), now: start.plus(60))
        let remote = LeaseOwner(host: "other-host", pid: 1, startTicks: 1)
        let run = try #require(try store.claimNext(owner: remote, now: start.plus(60), leaseSeconds: 100, files: [automation.path]))
        #expect(try store.heartbeat(owner: remote, now: start.plus(150), leaseSeconds: 100).isEmpty)
        #expect(try store.recoverAbandoned(now: start.plus(240)).isEmpty)
        let recovered = try store.recoverAbandoned(now: start.plus(251))
        #expect(recovered.map(\.interrupted.id) == [run.id])
        #expect(recovered[0].interrupted.reason?.contains("expired without a heartbeat") == true)
        // retries = 0 (the default): nothing more.
        #expect(recovered[0].retry == nil)
    }

    @Test func failuresRetryOnlyWhenRetryable() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.every("tick", "1h", run: "retries = 1\nbackoff = \"10s\"")
        let start = try Fixture.instant("2026-01-01T00:00:00Z")
        let owner = LeaseOwner.current()
        let manual = try #require(try store.startManual(automation, owner: owner, now: start, leaseSeconds: 60)).id
        let budget = RunOutcome(state: .failed, reason: "max_tokens 10 exceeded: the run used 15 tokens")
        #expect(try store.finish(manual, owner: owner, outcome: budget, now: start.plus(5)).retry == nil)
        let again = try #require(try store.startManual(automation, owner: owner, now: start.plus(6), leaseSeconds: 60)).id
        let modelDown = RunOutcome(state: .failed, reason: "the model call failed: connection refused", retryable: true)
        let retry = try #require(try store.finish(again, owner: owner, outcome: modelDown, now: start.plus(7)).retry)
        #expect(try store.run(retry)?.notBefore == start.plus(17))
        #expect(try store.run(again)?.reason == "the model call failed: connection refused")
    }

    @Test func shutdownInterruptsWhatItStillHolds() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.every("tick", "1h", run: "retries = 1")
        let start = try Fixture.instant("2026-01-01T00:00:00Z")
        let owner = LeaseOwner.current()
        let manual = try #require(try store.startManual(automation, owner: owner, now: start, leaseSeconds: 60)).id
        #expect(try store.interruptHeld(owner: owner, reason: "serve stopped", now: start.plus(1)) == [manual])
        #expect(try store.run(manual)?.state == .interrupted)
        #expect(try store.runs().first?.attempt == 2)
    }
}
