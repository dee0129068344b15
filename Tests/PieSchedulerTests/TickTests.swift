import PieAutomations
import Testing

@testable import PieScheduler

/// Ticks are claimed once, whatever the number of processes; catch_up and overlap decide what
/// runs after downtime and while a run is going.
@Suite struct TickTests {
    @Test func aTickIsClaimedOnceAcrossTwoConnections() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let first = try scratch.open(), second = try scratch.open()
        let automation = try Fixture.every("tick", "1m")
        let start = try Fixture.instant("2026-01-01T00:00:00Z")
        #expect(try first.claimDueTicks(automation, trigger: Fixture.clock(automation), now: start).queued.isEmpty)
        let due = start.plus(60)
        let a = try first.claimDueTicks(automation, trigger: Fixture.clock(automation), now: due)
        let b = try second.claimDueTicks(automation, trigger: Fixture.clock(automation), now: due)
        #expect(a.queued.count + b.queued.count == 1)
        #expect(a.nextDue == start.plus(120) && b.nextDue == start.plus(120))
        let runs = try first.runs()
        #expect(runs.count == 1 && runs[0].tick == due && runs[0].state == .queued && runs[0].attempt == 1)
    }

    @Test func claimNextLeasesEachRunToOneOwnerAndOneRunPerAutomationAtATime() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.every("tick", "1m", run: "overlap = \"queue\"")
        let trigger = try Fixture.clock(automation)
        let start = try Fixture.instant("2026-01-01T00:00:00Z")
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start)
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start.plus(60))
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start.plus(120))
        let files = [automation.path]
        let owner = LeaseOwner.current()
        let running = try #require(try store.claimNext(owner: owner, now: start.plus(120), leaseSeconds: 60, files: files))
        #expect(running.tick == start.plus(60))
        // The second tick waits (queue) while the first runs, for every process.
        #expect(try store.claimNext(owner: owner, now: start.plus(120), leaseSeconds: 60, files: files) == nil)
        // A process serving other files takes nothing.
        #expect(try store.claimNext(owner: owner, now: start.plus(120), leaseSeconds: 60, files: ["/elsewhere.toml"]) == nil)
        let finished = try store.finish(running.id, owner: owner, outcome: RunOutcome(state: .succeeded, tokens: 15), now: start.plus(130))
        #expect(finished == FinishResult(recorded: true, retry: nil))
        let next = try #require(try store.claimNext(owner: owner, now: start.plus(130), leaseSeconds: 60, files: files))
        #expect(next.tick == start.plus(120))
        // Someone who does not hold the lease cannot record an outcome.
        let stranger = LeaseOwner(host: owner.host, pid: owner.pid, startTicks: owner.startTicks + 1)
        #expect(try store.finish(next.id, owner: stranger, outcome: RunOutcome(state: .failed), now: start.plus(140)).recorded == false)
        #expect(try store.run(next.id)?.state == .running)
    }

    @Test(arguments: [
        (RunSettings.CatchUp.none, 0, 10),
        (RunSettings.CatchUp.latest, 1, 9),
        (RunSettings.CatchUp.all, 10, 0),
    ])
    func downtimeFollowsCatchUp(catchUp: RunSettings.CatchUp, runs: Int, missed: Int) throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.cron("hourly", "0 * * * *", run: "catch_up = \"\(catchUp.rawValue)\"\noverlap = \"queue\"")
        let trigger = try Fixture.clock(automation)
        let start = try Fixture.instant("2026-01-01T00:30:00Z")
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start)
        // Down from 00:30 to 10:30: ten ticks (01:00 … 10:00) passed, the newest 30 minutes ago.
        let claim = try store.claimDueTicks(automation, trigger: trigger, now: start.plus(10 * 3600))
        #expect(claim.queued.count == runs && claim.missed == missed)
        #expect(claim.nextDue == (try Fixture.instant("2026-01-01T11:00:00Z")))
        let ticks = try store.runs().map { $0.tick }.compactMap { $0 }.sorted()
        if catchUp == .latest { #expect(ticks == [try Fixture.instant("2026-01-01T10:00:00Z")]) }
        if catchUp == .all { #expect(ticks.first == (try Fixture.instant("2026-01-01T01:00:00Z")) && ticks.count == 10) }
        // Looking again claims nothing more.
        #expect(try store.claimDueTicks(automation, trigger: trigger, now: start.plus(10 * 3600)).queued.isEmpty)
    }

    @Test func catchUpAllRunsAtMostTheNewestHundred() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.every("often", "1m", run: "catch_up = \"all\"\noverlap = \"queue\"")
        let trigger = try Fixture.clock(automation)
        let start = try Fixture.instant("2026-01-01T00:00:00Z")
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start)
        let claim = try store.claimDueTicks(automation, trigger: trigger, now: start.plus(1000 * 60))
        #expect(claim.queued.count == 100 && claim.missed == 900)
        #expect(try store.runs(limit: 1).first?.tick == start.plus(1000 * 60))
    }

    @Test func aTickOnTimeRunsEvenWithCatchUpNone() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.every("tick", "5m", run: "catch_up = \"none\"")
        let start = try Fixture.instant("2026-01-01T00:00:00Z")
        _ = try store.claimDueTicks(automation, trigger: Fixture.clock(automation), now: start)
        let claim = try store.claimDueTicks(automation, trigger: Fixture.clock(automation), now: start.plus(300 + 5))
        #expect(claim.queued.count == 1 && claim.missed == 0)
    }

    @Test func overlapSkipRecordsTheTickAsSkipped() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.every("tick", "1m", run: "overlap = \"skip\"")
        let trigger = try Fixture.clock(automation)
        let start = try Fixture.instant("2026-01-01T00:00:00Z")
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start)
        let first = try store.claimDueTicks(automation, trigger: trigger, now: start.plus(60))
        let running = try #require(try store.claimNext(owner: .current(), now: start.plus(60), leaseSeconds: 60, files: [automation.path]))
        #expect(first.queued == [running.id])
        let second = try store.claimDueTicks(automation, trigger: trigger, now: start.plus(120))
        #expect(second.queued.isEmpty && second.skipped.count == 1)
        let skipped = try #require(try store.run(second.skipped[0]))
        #expect(skipped.state == .skipped && skipped.reason == "run \(running.id) was still running (overlap = skip)")
        #expect(skipped.tick == start.plus(120) && skipped.endedAt == start.plus(120))
    }

    @Test func overlapReplaceAsksTheRunningRunToStopAndItIsNotRetried() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.every("tick", "1m", run: "overlap = \"replace\"\nretries = 3")
        let trigger = try Fixture.clock(automation)
        let start = try Fixture.instant("2026-01-01T00:00:00Z")
        let owner = LeaseOwner.current()
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start)
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start.plus(60))
        let running = try #require(try store.claimNext(owner: owner, now: start.plus(60), leaseSeconds: 600, files: [automation.path]))
        let claim = try store.claimDueTicks(automation, trigger: trigger, now: start.plus(120))
        #expect(claim.queued.count == 1 && claim.replacing == [running.id])
        let asked = try store.heartbeat(owner: owner, now: start.plus(121), leaseSeconds: 600)
        #expect(asked == [running.id: "replaced by run \(claim.queued[0]) (overlap = replace)"])
        // The holder cancels it; its interruption carries the reason and queues no retry.
        let result = try store.finish(
            running.id, owner: owner, outcome: RunOutcome(state: .interrupted, retryable: true), now: start.plus(122))
        #expect(result == FinishResult(recorded: true, retry: nil))
        #expect(try store.run(running.id)?.reason == "replaced by run \(claim.queued[0]) (overlap = replace)")
        let next = try store.claimNext(owner: owner, now: start.plus(122), leaseSeconds: 600, files: [automation.path])
        #expect(next?.id == claim.queued[0])
    }

    @Test func aDisabledAutomationsTicksPassWithoutRuns() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        var automation = try Fixture.every("tick", "1m", run: "catch_up = \"all\"")
        automation.enabled = false
        let trigger = try Fixture.clock(automation)
        let start = try Fixture.instant("2026-01-01T00:00:00Z")
        _ = try store.claimDueTicks(automation, trigger: trigger, now: start)
        #expect(try store.claimDueTicks(automation, trigger: trigger, now: start.plus(600)).queued.isEmpty)
        automation.enabled = true
        // Enabled again: no catch-up of the disabled time.
        #expect(try store.claimDueTicks(automation, trigger: trigger, now: start.plus(630)).queued.isEmpty)
        #expect(try store.claimDueTicks(automation, trigger: trigger, now: start.plus(660)).queued.count == 1)
    }

    @Test func runOnceStandsForTheNextTick() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let at = try Fixture.instant("2026-06-01T09:00:00Z")
        let automation = try Fixture.automation(
            "once", "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\nat = \"2026-06-01T09:00:00Z\"\n")
        let trigger = try Fixture.clock(automation)
        let now = try Fixture.instant("2026-05-01T00:00:00Z")
        let manual = try #require(
            try store.startManual(automation, owner: .current(), now: now, leaseSeconds: 60, consuming: trigger))
        #expect(manual.tick == at && manual.state == .running && manual.trigger == .manual)
        // At its time the `at` tick was already taken: serve runs nothing.
        #expect(try store.claimDueTicks(automation, trigger: trigger, now: at).queued.isEmpty)
        // A plain manual run touches no tick.
        let plain = try #require(try store.startManual(automation, owner: .current(), now: now, leaseSeconds: 60))
        #expect(plain.tick == nil)
        // Started and leased in one step: a serve looking now finds nothing queued to take.
        #expect(try store.claimNext(owner: Fixture.deadOwner, now: now, leaseSeconds: 60, files: [automation.path]) == nil)
    }

    @Test func anAtMissedWhileDownRunsPerCatchUp() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.automation(
            "once", "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\nat = \"2026-06-01T09:00:00Z\"\n")
        let trigger = try Fixture.clock(automation)
        let claim = try store.claimDueTicks(automation, trigger: trigger, now: try Fixture.instant("2026-06-02T00:00:00Z"))
        #expect(claim.queued.count == 1 && claim.nextDue == nil)
    }
}
