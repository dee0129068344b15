import Testing
@testable import PieAutomations

/// Fire times across daylight-saving changes, against the system's tzdata: a skipped local time
/// fires once, when the clock jumps past it; a repeated one fires once, at its first occurrence.
@Suite struct CronDaylightSavingTests {
    // Europe/Berlin 2026: 02:00 CET → 03:00 CEST on Mar 29; 03:00 CEST → 02:00 CET on Oct 25.

    @Test("Berlin spring forward: 02:30 does not exist and fires at 03:00 CEST, once")
    func berlinGap() throws {
        #expect(try Fixture.fireTimes("30 2 * * *", after: "2026-03-28T12:00:00+01:00", in: "Europe/Berlin", count: 2)
            == ["2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"])
    }

    @Test("Berlin spring forward: every skipped minute collapses into one firing at 03:00")
    func berlinGapCollapses() throws {
        #expect(try Fixture.fireTimes("*/20 2 * * *", after: "2026-03-29T00:00:00+01:00", in: "Europe/Berlin", count: 3)
            == ["2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00", "2026-03-30T02:20:00+02:00"])
        // 02:00 and 02:30 are skipped, 03:00 exists: one firing at 03:00, then 03:30.
        #expect(try Fixture.fireTimes("0,30 2,3 * * *", after: "2026-03-29T00:00:00+01:00", in: "Europe/Berlin", count: 3)
            == ["2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00", "2026-03-30T02:00:00+02:00"])
        #expect(try Fixture.fireTimes("* * * * *", after: "2026-03-29T01:58:00+01:00", in: "Europe/Berlin", count: 3)
            == ["2026-03-29T01:59:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T03:01:00+02:00"])
    }

    @Test("Berlin fall back: 02:30 occurs twice and fires at the first, CEST")
    func berlinOverlap() throws {
        #expect(try Fixture.fireTimes("30 2 * * *", after: "2026-10-24T12:00:00+02:00", in: "Europe/Berlin", count: 2)
            == ["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"])
        #expect(try Fixture.fireTimes("*/30 * * * *", after: "2026-10-25T01:45:00+02:00", in: "Europe/Berlin", count: 4)
            == ["2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-25T03:00:00+01:00", "2026-10-25T03:30:00+01:00"])
    }

    @Test("Berlin fall back: from inside the repeated hour, its second pass fires nothing")
    func berlinInsideOverlap() throws {
        #expect(try Fixture.fireTimes("*/15 * * * *", after: "2026-10-25T02:10:00+01:00", in: "Europe/Berlin", count: 2)
            == ["2026-10-25T03:00:00+01:00", "2026-10-25T03:15:00+01:00"])
        #expect(try Fixture.fireTimes("*/15 * * * *", after: "2026-10-25T02:10:00+02:00", in: "Europe/Berlin", count: 4)
            == ["2026-10-25T02:15:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-25T02:45:00+02:00", "2026-10-25T03:00:00+01:00"])
    }

    // America/New_York 2026: 02:00 EST → 03:00 EDT on Mar 8; 02:00 EDT → 01:00 EST on Nov 1.

    @Test("New York spring forward: 02:30 fires at 03:00 EDT")
    func newYorkGap() throws {
        #expect(try Fixture.fireTimes("30 2 * * *", after: "2026-03-07T12:00:00-05:00", in: "America/New_York", count: 2)
            == ["2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"])
    }

    @Test("New York fall back: 01:30 fires once, in EDT; hourly fires once per wall-clock hour")
    func newYorkOverlap() throws {
        #expect(try Fixture.fireTimes("30 1 * * *", after: "2026-10-31T12:00:00-04:00", in: "America/New_York", count: 2)
            == ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"])
        #expect(try Fixture.fireTimes("0 * * * *", after: "2026-11-01T00:30:00-04:00", in: "America/New_York", count: 3)
            == ["2026-11-01T01:00:00-04:00", "2026-11-01T02:00:00-05:00", "2026-11-01T03:00:00-05:00"])
    }

    // Australia/Lord_Howe: +10:30, and +11 in summer; the clock moves by 30 minutes.

    @Test("Lord Howe's 30-minute change: 02:15 is skipped in October, 01:45 repeats in April")
    func lordHowe() throws {
        #expect(try Fixture.fireTimes("15 2 * * *", after: "2026-10-03T12:00:00+10:30", in: "Australia/Lord_Howe", count: 2)
            == ["2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00"])
        #expect(try Fixture.fireTimes("45 1 * * *", after: "2026-04-04T12:00:00+11:00", in: "Australia/Lord_Howe", count: 2)
            == ["2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"])
        #expect(try Fixture.fireTimes("*/20 1-2 * * *", after: "2026-04-05T01:30:00+11:00", in: "Australia/Lord_Howe", count: 4)
            == ["2026-04-05T01:40:00+11:00", "2026-04-05T02:00:00+10:30", "2026-04-05T02:20:00+10:30", "2026-04-05T02:40:00+10:30"])
    }

    @Test("America/Santiago changes at midnight: 00:00 on the gap day fires at 01:00")
    func midnightChange() throws {
        #expect(try Fixture.fireTimes("0 0 * * *", after: "2026-09-05T12:00:00-04:00", in: "America/Santiago", count: 2)
            == ["2026-09-06T01:00:00-03:00", "2026-09-07T00:00:00-03:00"])
        #expect(try Fixture.fireTimes("30 23 * * *", after: "2026-04-04T12:00:00-03:00", in: "America/Santiago", count: 2)
            == ["2026-04-04T23:30:00-03:00", "2026-04-05T23:30:00-04:00"])
    }

    @Test("a zone without daylight saving keeps its offset all year")
    func noDaylightSaving() throws {
        #expect(try Fixture.fireTimes("30 2 * * *", after: "2026-03-28T00:00:00+05:30", in: "Asia/Kolkata", count: 3)
            == ["2026-03-28T02:30:00+05:30", "2026-03-29T02:30:00+05:30", "2026-03-30T02:30:00+05:30"])
        #expect(try Fixture.fireTimes("0 12 1 * *", after: "2026-01-01T00:00:00+09:00", in: "Asia/Tokyo", count: 12).allSatisfy { $0.hasSuffix("T12:00:00+09:00") })
    }

    @Test("after the file's last transition the footer rule applies: 2100 through the table, 2300 evaluated")
    func footerRule() throws {
        #expect(try Fixture.fireTimes("30 2 * * *", after: "2100-03-27T12:00:00+01:00", in: "Europe/Berlin", count: 2)
            == ["2100-03-28T03:00:00+02:00", "2100-03-29T02:30:00+02:00"])
        #expect(try Fixture.fireTimes("30 2 * * *", after: "2300-03-24T12:00:00+01:00", in: "Europe/Berlin", count: 2)
            == ["2300-03-25T03:00:00+02:00", "2300-03-26T02:30:00+02:00"])
    }
}
