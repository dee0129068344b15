import Testing
@testable import PieAutomations

/// Calendar behaviour of `next`: Vixie's day rule, month lengths, leap years, year rollover,
/// strictly-after semantics.
@Suite struct CronCalendarTests {
    @Test("both day fields restricted: a day matches when either does (Vixie)")
    func vixieEither() throws {
        // The 13th, or any Friday. March 2026: Fri 6, Fri 13, Fri 20; the 13th is itself a Friday.
        #expect(try Fixture.fireTimes("0 0 13 * fri", after: "2026-03-01T00:00:00Z", count: 5).map { String($0.prefix(10)) }
            == ["2026-03-06", "2026-03-13", "2026-03-20", "2026-03-27", "2026-04-03"])
        // 1st and 15th, or Mondays.
        #expect(try Fixture.fireTimes("0 0 1,15 * 1", after: "2026-06-01T00:00:00Z", count: 5).map { String($0.prefix(10)) }
            == ["2026-06-08", "2026-06-15", "2026-06-22", "2026-06-29", "2026-07-01"])
    }

    @Test("a day field starting with * makes both fields required (Vixie)")
    func vixieBoth() throws {
        // Odd days (1,3,…) that are Mondays: 2026-06-01, 06-15, 06-29 are Mondays on odd days.
        #expect(try Fixture.fireTimes("0 0 */2 * mon", after: "2026-05-31T00:00:00Z", count: 3).map { String($0.prefix(10)) }
            == ["2026-06-01", "2026-06-15", "2026-06-29"])
        // Day-of-month 13, day-of-week */1 (every day, but written with *): only the 13th.
        #expect(try Fixture.fireTimes("0 0 13 * */1", after: "2026-03-01T00:00:00Z", count: 2).map { String($0.prefix(10)) }
            == ["2026-03-13", "2026-04-13"])
        // Day-of-month 1-31 does not start with *: OR with Fridays is every day.
        #expect(try Fixture.fireTimes("0 0 1-31 * fri", after: "2026-03-01T00:00:00Z", count: 3).map { String($0.prefix(10)) }
            == ["2026-03-02", "2026-03-03", "2026-03-04"])
    }

    @Test("0 0 31 * * skips the months without a 31st")
    func thirtyFirst() throws {
        #expect(try Fixture.fireTimes("0 0 31 * *", after: "2026-01-01T00:00:00Z", count: 7).map { String($0.prefix(10)) }
            == ["2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31", "2026-08-31", "2026-10-31", "2026-12-31"])
    }

    @Test("February 29 fires only in leap years, skipping 2100")
    func leapDay() throws {
        #expect(try Fixture.fireTimes("0 12 29 2 *", after: "2026-01-01T00:00:00Z", count: 4).map { String($0.prefix(10)) }
            == ["2028-02-29", "2032-02-29", "2036-02-29", "2040-02-29"])
        #expect(try Fixture.fireTimes("0 12 29 feb *", after: "2096-03-01T00:00:00Z", count: 1) == ["2104-02-29T12:00:00+00:00"])
        // A leap day that is a Sunday, with both fields required (`*/7` is Sunday, written with *).
        #expect(try Fixture.fireTimes("0 0 29 2 */7", after: "2026-01-01T00:00:00Z", count: 2).map { String($0.prefix(10)) }
            == ["2032-02-29", "2060-02-29"])
    }

    @Test("the year rolls over: December to January, the last minute of a year")
    func yearRollover() throws {
        #expect(try Fixture.fireTimes("59 23 31 12 *", after: "2026-12-31T23:59:00Z", count: 1) == ["2027-12-31T23:59:00+00:00"])
        #expect(try Fixture.fireTimes("* * * * *", after: "2026-12-31T23:59:30Z", count: 2)
            == ["2027-01-01T00:00:00+00:00", "2027-01-01T00:01:00+00:00"])
        #expect(try Fixture.fireTimes("0 0 1 jan *", after: "2026-06-01T00:00:00Z", count: 1) == ["2027-01-01T00:00:00+00:00"])
    }

    @Test("next is strictly after: a fire time is not repeated, seconds count")
    func strictlyAfter() throws {
        #expect(try Fixture.fireTimes("30 9 * * *", after: "2026-05-01T09:30:00Z", count: 1) == ["2026-05-02T09:30:00+00:00"])
        #expect(try Fixture.fireTimes("30 9 * * *", after: "2026-05-01T09:29:59Z", count: 1) == ["2026-05-01T09:30:00+00:00"])
        #expect(try Fixture.fireTimes("30 9 * * *", after: "2026-05-01T09:30:01Z", count: 1) == ["2026-05-02T09:30:00+00:00"])
    }

    @Test("times before 1970 work like any other")
    func beforeEpoch() throws {
        #expect(try Fixture.fireTimes("15 10 * * 1", after: "1969-12-31T00:00:00Z", count: 2)
            == ["1970-01-05T10:15:00+00:00", "1970-01-12T10:15:00+00:00"])
    }

    @Test("the search ends in the year 9999")
    func endOfTime() throws {
        let schedule = try CronSchedule.parse("0 0 1 1 *")
        #expect(schedule.next(after: try Fixture.instant("9999-06-01T00:00:00Z"), in: .utc) == nil)
        #expect(schedule.nextTimes(after: try Fixture.instant("9997-06-01T00:00:00Z"), count: 5, in: .utc).count == 2)
        #expect(schedule.next(after: Instant(secondsSinceEpoch: .max), in: .utc) == nil)
        #expect(schedule.next(after: Instant(secondsSinceEpoch: .min), in: .utc).map {
            RFC3339.format($0, in: .utc)
        } == "0000-01-01T00:00:00+00:00")
    }
}
