import CSQLite
import PieAutomations
import PieSystem
import Testing

@testable import PieScheduler

/// Parked runs in the store: the first answer is final, a timeout is a deny, a parked run still
/// counts as going, and one whose process died is interrupted like a running one.
@Suite struct ApprovalStoreTests {
    let start = Instant(secondsSinceEpoch: 1_767_225_600)

    /// A store with one run of `tick`, running under `owner`.
    private func runningRun(_ store: SchedulerStore, owner: LeaseOwner = .current()) throws -> (Automation, RunRecord) {
        let automation = try Fixture.every("tick", "1h")
        let trigger = try Fixture.clock(automation)
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start)
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start.plus(3600))
        let run = try #require(try store.claimNext(owner: owner, now: start.plus(3600), leaseSeconds: 600, files: [automation.path]))
        return (automation, run)
    }

    private func pending(_ run: RunRecord, call: String = "call_1", asked: Int64 = 3600) -> PendingApproval {
        PendingApproval(
            run: run.id, callID: call, tool: "bash", arguments: #"{"command":"git push"}"#, rule: "ask_commands",
            reason: "'git push' matches", askedAt: start.plus(asked), deadline: start.plus(asked + 600))
    }

    @Test func aPersonsAnswerIsReadOnceAndIsFinal() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let (_, run) = try runningRun(store)
        #expect(try store.park(pending(run)) == "call_1")
        #expect(try store.run(run.id)?.state == .needsApproval)
        #expect(try store.settle(run: run.id, call: "call_1", now: start.plus(3700)) == nil)

        // Another process (another connection) answers.
        let other = try scratch.open()
        try other.answer(run: run.id, call: "call_1", approve: true, now: start.plus(3700))
        let verdict = try #require(try store.settle(run: run.id, call: "call_1", now: start.plus(9999)))
        #expect(verdict.answer == .approve && verdict.source == .command)
        #expect(throws: ApprovalError.alreadyAnswered(run: run.id, call: "call_1", answer: .approve, source: .command)) {
            try other.answer(run: run.id, call: "call_1", approve: false, now: start.plus(3701))
        }
        #expect(throws: ApprovalError.noSuchCall(run: run.id, call: "call_2")) {
            try other.answer(run: run.id, call: "call_2", approve: true, now: start.plus(3701))
        }
        try store.resume(run: run.id)
        #expect(try store.run(run.id)?.state == .running)
    }

    @Test func noAnswerByTheDeadlineIsADenyThatALaterAnswerCannotChange() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let (_, run) = try runningRun(store)
        _ = try store.park(pending(run))
        #expect(try store.settle(run: run.id, call: "call_1", now: start.plus(4199)) == nil)
        let verdict = try #require(try store.settle(run: run.id, call: "call_1", now: start.plus(4200)))
        #expect(verdict.answer == .deny && verdict.source == .timeout)
        #expect(throws: ApprovalError.alreadyAnswered(run: run.id, call: "call_1", answer: .deny, source: .timeout)) {
            try store.answer(run: run.id, call: "call_1", approve: true, now: start.plus(4201))
        }
        #expect(try store.approvals(run: run.id).first?.answer?.source == .timeout)
        #expect(try store.approvals(pendingOnly: true).isEmpty)
    }

    @Test func aReusedCallIDGetsAKeyOfItsOwn() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let (_, run) = try runningRun(store)
        #expect(try store.park(pending(run)) == "call_1")
        try store.answer(run: run.id, call: "call_1", approve: false, now: start.plus(3601))
        try store.resume(run: run.id)
        #expect(try store.park(pending(run, asked: 3700)) == "call_1-2")
        #expect(try store.park(pending(run, asked: 3800)) == "call_1-3")
        #expect(try store.approvals(run: run.id, pendingOnly: true).map(\.callID) == ["call_1-2", "call_1-3"])
        #expect(try store.settle(run: run.id, call: "call_1-2", now: start.plus(3701)) == nil)
    }

    @Test func aParkedRunIsStillGoingAndNoOtherRunOfItsAutomationStarts() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let (automation, run) = try runningRun(store)
        _ = try store.park(pending(run))
        _ = try store.claimDueTicks(automation, trigger: try Fixture.clock(automation), now: start.plus(7200))
        #expect(try store.claimNext(owner: .current(), now: start.plus(7200), leaseSeconds: 600, files: [automation.path]) == nil)
        #expect(try store.runs().map(\.state).contains(.needsApproval))
    }

    @Test func aNewerRunReplacesAParkedOneAndSIGTERMsEndInterruptsIt() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.every("tick", "1h", run: "overlap = \"replace\"")
        let trigger = try Fixture.clock(automation)
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start)
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start.plus(3600))
        let owner = LeaseOwner.current()
        let run = try #require(try store.claimNext(owner: owner, now: start.plus(3600), leaseSeconds: 600, files: [automation.path]))
        _ = try store.park(pending(run))
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start.plus(7200))
        let replaced = try store.heartbeat(owner: owner, now: start.plus(7200), leaseSeconds: 600)
        #expect(replaced[run.id]?.contains("overlap = replace") == true)
        #expect(try store.interruptHeld(owner: owner, reason: "serve was stopped", now: start.plus(7201)) == [run.id])
        #expect(try store.run(run.id)?.state == .interrupted)
    }

    @Test func aParkedRunWhoseProcessDiedIsInterruptedAndCannotBeAnswered() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let (_, run) = try runningRun(store, owner: Fixture.deadOwner)
        _ = try store.park(pending(run))
        let recovered = try store.recoverAbandoned(now: start.plus(3700))
        #expect(recovered.map(\.interrupted.id) == [run.id])
        #expect(try store.run(run.id)?.state == .interrupted)
        #expect(throws: ApprovalError.notWaiting(run: run.id, state: .interrupted)) {
            try store.answer(run: run.id, call: "call_1", approve: true, now: start.plus(3701))
        }
    }

    @Test func aVersionOneStoreGainsTheApprovalsTableAndKeepsItsRuns() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let database = try SQLiteDatabase(path: scratch.path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        try database.withConnection { db throws(SQLiteError) in
            try db.execute(StoreSchema.migrations[0])
            try db.setUserVersion(1)
            try db.execute(
                """
                INSERT INTO runs (automation_file, automation_id, trigger_kind, scheduled_at, not_before, state, attempt,
                    max_attempts, backoff_seconds, created_at) VALUES ('/p/.pie/automations/a.toml', 'a', 'manual', 1, 1,
                    'succeeded', 1, 1, 30, 1)
                """)
        }
        let store = try scratch.open()
        #expect(try store.runs().map(\.state) == [.succeeded])
        #expect(try store.approvals().isEmpty)
        #expect(SchedulerStore.schemaVersion == 4)
        // Version 4 added the worker column: runs from before it name none.
        #expect(try store.runs().map(\.worker) == [nil])
    }
}
