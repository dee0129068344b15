import PieAgent
import PieAutomations
import PieSandbox
import Synchronization
import Testing

@testable import PieScheduler

/// The approver of unattended runs: it parks the run, tells the operator, and answers only with
/// what a person wrote to the store, the timeout's deny, or a deny when the run is stopped.
@Suite struct StoreApproverTests {
    /// A clock the test moves by hand; it asks to be looked at again soon while a deadline is ahead.
    final class HandClock: SchedulerClock {
        let time: Mutex<Instant>
        init(_ start: Instant) { time = Mutex(start) }
        func now() -> Instant { time.withLock { $0 } }
        func delay(until deadline: Instant) -> Duration { now() >= deadline ? .zero : .milliseconds(5) }
        func advance(_ seconds: Int64) { time.withLock { $0 = $0.plus(seconds) } }
    }

    /// What the approver told the operator.
    final class Notices: Sendable {
        let list = Mutex<[PendingApproval]>([])
        var all: [PendingApproval] { list.withLock { $0 } }
    }

    let start = Instant(secondsSinceEpoch: 1_767_225_600)
    let request = ApprovalRequest(
        callID: "call_1", tool: "bash", arguments: #"{"command":"git push"}"#, rule: "ask_commands", reason: "matches")

    private func parkedRun(_ store: SchedulerStore) throws -> RunRecord {
        let automation = try Fixture.every("tick", "1h")
        let trigger = try Fixture.clock(automation)
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start)
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start.plus(3600))
        return try #require(try store.claimNext(owner: .current(), now: start.plus(3600), leaseSeconds: 600, files: [automation.path]))
    }

    private func approver(
        _ store: SchedulerStore, _ run: RunRecord, clock: HandClock, notices: Notices
    ) -> StoreApprover {
        StoreApprover(
            store: store, run: run.id, timeout: AutomationDuration(seconds: 600), clock: clock,
            pollInterval: .milliseconds(5), notify: { approval in notices.list.withLock { $0.append(approval) } },
            runTimeout: nil)
    }

    /// Waits (bounded) until the store shows the run parked.
    private func waitUntilParked(_ store: SchedulerStore, _ run: RunRecord) async throws {
        for _ in 0..<2_000 {
            if try store.run(run.id)?.state == .needsApproval { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("the run never parked")
    }

    @Test func aPersonsApprovalFromAnotherConnectionLetsTheCallRun() async throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let run = try parkedRun(store)
        let clock = HandClock(start.plus(3600))
        let notices = Notices()
        let waiting = Task { await approver(store, run, clock: clock, notices: notices).approve(request) }
        try await waitUntilParked(store, run)
        #expect(notices.all.map(\.callID) == ["call_1"])
        #expect(notices.all.first?.deadline == start.plus(4200))
        try scratch.open().answer(run: run.id, call: "call_1", approve: true, now: clock.now())
        let answer = await waiting.value
        #expect(answer.approved && answer.source == .command)
        #expect(try store.run(run.id)?.state == .running)
    }

    @Test func theTimeoutOnTheSchedulersClockIsADeny() async throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let run = try parkedRun(store)
        let clock = HandClock(start.plus(3600))
        let notices = Notices()
        let waiting = Task { await approver(store, run, clock: clock, notices: notices).approve(request) }
        try await waitUntilParked(store, run)
        clock.advance(599)
        try await Task.sleep(for: .milliseconds(50))
        #expect(try store.approvals(run: run.id, pendingOnly: true).count == 1)
        clock.advance(1)
        let answer = await waiting.value
        #expect(!answer.approved && answer.source == .timeout)
        #expect(answer.note == "nobody answered within approval_timeout 10m (call call_1), so the call is denied")
        #expect(try store.run(run.id)?.state == .running)
    }

    @Test func aRunStoppedWhileItWaitsGetsADenyAndIsNoLongerParked() async throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let run = try parkedRun(store)
        let clock = HandClock(start.plus(3600))
        let notices = Notices()
        let waiting = Task { await approver(store, run, clock: clock, notices: notices).approve(request) }
        try await waitUntilParked(store, run)
        waiting.cancel()
        let answer = await waiting.value
        #expect(!answer.approved)
        #expect(answer.note == "the run was stopped while call call_1 waited for approval")
        #expect(try store.run(run.id)?.state == .running)
    }
}
