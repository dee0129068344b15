import Testing
@testable import PieAutomations

/// Each form of the expression grammar, checked by the times it fires at (UTC, so no zone rules
/// interfere).
@Suite struct CronSyntaxTests {
    @Test("a single value in each field")
    func singleValues() throws {
        #expect(try Fixture.fireTimes("30 2 24 12 *", after: "2026-01-01T00:00:00Z", count: 2)
            == ["2026-12-24T02:30:00+00:00", "2027-12-24T02:30:00+00:00"])
    }

    @Test("lists, ranges and steps combine in one field")
    func listsRangesSteps() throws {
        #expect(try Fixture.fireTimes("1,5-7,50-59/4 0 * * *", after: "2026-01-01T00:00:00Z", count: 8)
            == ["01", "05", "06", "07", "50", "54", "58"].map { "2026-01-01T00:\($0):00+00:00" } + ["2026-01-02T00:01:00+00:00"])
    }

    @Test("*/15, 1-30/5 and 5/10 step from the start of their range")
    func stepForms() throws {
        let minutes = { (expression: String, count: Int) throws -> [String] in
            try Fixture.fireTimes("\(expression) 0 * * *", after: "2026-01-01T00:00:00Z", count: count).map { String($0.dropFirst(14).prefix(2)) }
        }
        #expect(try minutes("*/15", 4) == ["15", "30", "45", "00"])
        #expect(try minutes("1-30/5", 6) == ["01", "06", "11", "16", "21", "26"])
        #expect(try minutes("5/10", 6) == ["05", "15", "25", "35", "45", "55"])
    }

    @Test("month names and day names, any case, alone and in ranges")
    func names() throws {
        #expect(try Fixture.fireTimes("0 0 1 JAN,jul *", after: "2026-01-01T00:00:00Z", count: 2)
            == ["2026-07-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00"])
        // 2026-03-02 is a Monday.
        #expect(try Fixture.fireTimes("0 9 * * Mon-fri", after: "2026-03-01T00:00:00Z", count: 6).map { String($0.prefix(10)) }
            == ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-09"])
        #expect(try Fixture.fireTimes("0 0 1 jan-dec/3 *", after: "2026-01-01T00:00:00Z", count: 3).map { String($0.prefix(10)) }
            == ["2026-04-01", "2026-07-01", "2026-10-01"])
    }

    @Test("7 is Sunday, like 0 and sun")
    func sevenIsSunday() throws {
        let sundays = try Fixture.fireTimes("0 0 * * 0", after: "2026-03-01T00:00:00Z", count: 3)
        #expect(try Fixture.fireTimes("0 0 * * 7", after: "2026-03-01T00:00:00Z", count: 3) == sundays)
        #expect(try Fixture.fireTimes("0 0 * * sun", after: "2026-03-01T00:00:00Z", count: 3) == sundays)
        #expect(sundays.first == "2026-03-08T00:00:00+00:00")
        #expect(try Fixture.fireTimes("0 0 * * 7/3", after: "2026-03-01T00:00:00Z", count: 2) == Array(sundays.prefix(2)))
        // 5-7: Friday, Saturday, Sunday.
        #expect(try Fixture.fireTimes("0 0 * * 5-7", after: "2026-03-01T00:00:00Z", count: 3).map { String($0.prefix(10)) }
            == ["2026-03-06", "2026-03-07", "2026-03-08"])
    }

    @Test("day-of-week steps end on Saturday unless 7 is written: mon/2 is Monday, Wednesday, Friday")
    func weekdaySteps() throws {
        // 2026-03-02 is a Monday.
        #expect(try Fixture.fireTimes("0 0 * * mon/2", after: "2026-03-01T00:00:00Z", count: 4).map { String($0.prefix(10)) }
            == ["2026-03-02", "2026-03-04", "2026-03-06", "2026-03-09"])
        #expect(try Fixture.fireTimes("0 0 * * */3", after: "2026-03-01T00:00:00Z", count: 4).map { String($0.prefix(10)) }
            == ["2026-03-04", "2026-03-07", "2026-03-08", "2026-03-11"])
        #expect(Fixture.parseError("0 0 * * */8")?.description
            == "day-of-week: step 8 in '*/8' must be 1–7: a longer step could only match the first value")
    }

    @Test("the @-macros are their five fields", arguments: [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"), ("@weekly", "0 0 * * 0"),
        ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"), ("@DAILY", "0 0 * * *"),
    ])
    func macros(macro: String, fields: String) throws {
        let (expanded, written) = (try CronSchedule.parse(macro), try CronSchedule.parse(fields))
        #expect(expanded.expression == macro)
        #expect([expanded.minutes, expanded.hours, expanded.daysOfMonth, expanded.months, expanded.daysOfWeek]
            == [written.minutes, written.hours, written.daysOfMonth, written.months, written.daysOfWeek])
        #expect(expanded.daysMatchEither == written.daysMatchEither)
        #expect(try Fixture.fireTimes(macro, after: "2026-05-17T10:20:00Z", count: 3)
            == Fixture.fireTimes(fields, after: "2026-05-17T10:20:00Z", count: 3))
    }

    @Test("fields are separated by any run of spaces and tabs; surrounding blanks are dropped")
    func whitespace() throws {
        let schedule = try CronSchedule.parse("  0\t 9 * \t* 1-5 ")
        #expect(schedule.expression == "0\t 9 * \t* 1-5")
        #expect(try Fixture.fireTimes(" 0\t 9 * \t* 1-5", after: "2026-03-01T00:00:00Z", count: 1) == ["2026-03-02T09:00:00+00:00"])
    }
}
