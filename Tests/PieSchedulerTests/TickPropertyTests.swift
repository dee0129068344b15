import PieAutomations
import Testing

@testable import PieScheduler

/// Exactly once as a property: two processes looking at random moments claim every tick once,
/// with no gaps, whatever the interleaving; daylight-saving changes give one tick per local time.
@Suite struct TickPropertyTests {
    /// A small deterministic generator (SplitMix64), so a failure repeats.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: [1, 2, 3])
    func twoProcessesClaimEveryTickOnceWithoutGaps(seed: UInt64) throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let stores = [try scratch.open(), try scratch.open()]
        let automation = try Fixture.every("tick", "1m", run: "catch_up = \"all\"\noverlap = \"queue\"")
        let trigger = try Fixture.clock(automation)
        var random = SplitMix(state: seed)
        let start = try Fixture.instant("2026-01-01T00:00:00Z")
        var now = start
        _ = try stores[0].claimDueTicks(automation, trigger: trigger, now: now)
        var claimed: [RunID] = []
        for _ in 0..<300 {
            now = now.plus(Int64.random(in: 0...150, using: &random))
            // Sometimes both look at the same instant, in either order.
            let order = Bool.random(using: &random) ? [0, 1] : [1, 0]
            for index in order where Bool.random(using: &random) || index == order[0] {
                claimed += try stores[index].claimDueTicks(automation, trigger: trigger, now: now).queued
            }
        }
        let ticks = try stores[1].runs(limit: 10_000).compactMap(\.tick).sorted()
        #expect(ticks.count == claimed.count)
        #expect(Set(ticks).count == ticks.count)
        let expected = stride(from: start.secondsSinceEpoch + 60, through: now.secondsSinceEpoch, by: 60).map {
            Instant(secondsSinceEpoch: $0)
        }
        #expect(ticks == expected)
    }

    @Test func springForwardFiresOnceWhenTheClockJumpsPastTheSkippedTime() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.automation(
            "nightly",
            "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\ncron = \"30 2 * * *\"\ntimezone = \"Europe/Berlin\"\n[run]\noverlap = \"queue\"\n")
        let trigger = try Fixture.clock(automation)
        // 2026-03-29: Berlin skips 02:00–03:00; 02:30 fires when the clock reaches 03:00 (01:00Z).
        var now = try Fixture.instant("2026-03-28T12:00:00Z")
        _ = try store.claimDueTicks(automation, trigger: trigger, now: now)
        var ticks: [Instant] = []
        for _ in 0..<(3 * 24 * 4) {
            now = now.plus(15 * 60)
            let claim = try store.claimDueTicks(automation, trigger: trigger, now: now)
            ticks += try claim.queued.compactMap { try store.run($0)?.tick }
        }
        #expect(ticks == [
            try Fixture.instant("2026-03-29T01:00:00Z"), try Fixture.instant("2026-03-30T00:30:00Z"),
            try Fixture.instant("2026-03-31T00:30:00Z"),
        ])
    }

    @Test func fallBackFiresOnceAtTheFirstOccurrence() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.automation(
            "nightly",
            "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\ncron = \"30 2 * * *\"\ntimezone = \"Europe/Berlin\"\n[run]\noverlap = \"queue\"\n")
        let trigger = try Fixture.clock(automation)
        // 2026-10-25: Berlin's 02:00–03:00 happens twice; 02:30 fires at its first occurrence (00:30Z) only.
        var now = try Fixture.instant("2026-10-24T12:00:00Z")
        _ = try store.claimDueTicks(automation, trigger: trigger, now: now)
        var ticks: [Instant] = []
        for _ in 0..<(2 * 24 * 4) {
            now = now.plus(15 * 60)
            let claim = try store.claimDueTicks(automation, trigger: trigger, now: now)
            ticks += try claim.queued.compactMap { try store.run($0)?.tick }
        }
        #expect(ticks == [try Fixture.instant("2026-10-25T00:30:00Z"), try Fixture.instant("2026-10-26T01:30:00Z")])
    }
}

@Suite struct ClockTriggerTests {
    @Test func eachZoneIsReadOnceForManyAutomations() throws {
        var zones: [String: TimeZoneRules] = [:]
        for minute in 0..<5 {
            let trigger = AutomationTrigger.cron(expression: "\(minute) 2 * * *", timezone: "Europe/Berlin")
            _ = try ClockTrigger.make(trigger, environment: [:], zones: &zones)
        }
        #expect(Array(zones.keys) == ["Europe/Berlin"])
        do throws(TriggerTimes.Failure) {
            _ = try ClockTrigger.make(.cron(expression: "0 2 * * *", timezone: "Mars/Olympus"), environment: [:], zones: &zones)
            Issue.record("a zone that does not exist was accepted")
        } catch {
            #expect(error.description.contains("Mars/Olympus"))
        }
        #expect(try ClockTrigger.make(.file(path: "/tmp/done", on: .created), environment: [:]) == nil)
    }

    @Test func everyCountsFromTheAnchor() throws {
        let anchor = try Fixture.instant("2026-01-01T00:00:07Z")
        let trigger = ClockTrigger.every(seconds: 900)
        #expect(trigger.next(after: anchor, anchor: anchor) == anchor.plus(900))
        #expect(trigger.next(after: anchor.plus(900), anchor: anchor) == anchor.plus(1800))
        #expect(trigger.next(after: anchor.plus(901), anchor: anchor) == anchor.plus(1800))
        let plan = trigger.plan(lastTick: nil, anchor: anchor, now: anchor.plus(900 * 250 + 30), catchUp: .all)
        #expect(plan.fire.count == 100 && plan.missed == 150 && plan.latestDue == anchor.plus(900 * 250))
        #expect(plan.fire.first == anchor.plus(900 * 151))
    }
}
