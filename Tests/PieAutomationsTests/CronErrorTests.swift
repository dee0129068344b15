import Testing
@testable import PieAutomations

/// Every refusal names the field and the bad value, in words a user can act on.
@Suite struct CronErrorTests {
    @Test("refusals name the field and the value", arguments: [
        ("61 * * * *", CronField.minute, "61", "minute: 61 is out of range 0–59"),
        ("* 24 * * *", .hour, "24", "hour: 24 is out of range 0–23"),
        ("* * 0 * *", .dayOfMonth, "0", "day-of-month: 0 is out of range 1–31"),
        ("* * 32 * *", .dayOfMonth, "32", "day-of-month: 32 is out of range 1–31"),
        ("* * * 13 *", .month, "13", "month: 13 is out of range 1–12"),
        ("* * * * 8", .dayOfWeek, "8", "day-of-week: 8 is out of range 0–7"),
        ("* * * * mon-xyz", .dayOfWeek, "xyz", "day-of-week: 'xyz' in 'mon-xyz' is not a day name (sun–sat or 0–7)"),
        ("* * * foo *", .month, "foo", "month: 'foo' is not a month (jan–dec or 1–12)"),
        ("* * * * monday", .dayOfWeek, "monday", "day-of-week: 'monday' is not a day name (sun–sat or 0–7)"),
        ("* * * jan-mon *", .month, "mon", "month: 'mon' in 'jan-mon' is not a month (jan–dec or 1–12)"),
        ("x * * * *", .minute, "x", "minute: 'x' is not a number (0–59)"),
        ("* * L * *", .dayOfMonth, "L", "day-of-month: 'L' is not a number (1–31)"),
        ("* * ? * *", .dayOfMonth, "?", "day-of-month: '?' is not a number (1–31)"),
        ("* * * * 1#2", .dayOfWeek, "1#2", "day-of-week: '1#2' is not a day name (sun–sat or 0–7)"),
        ("-5 * * * *", .minute, "", "minute: '' in '-5' is not a number (0–59)"),
        ("123456 * * * *", .minute, "123456", "minute: 123456 is out of range 0–59"),
        ("*/0 * * * *", .minute, "*/0", "minute: step 0 in '*/0' must be 1–60: a longer step could only match the first value"),
        ("*/61 * * * *", .minute, "*/61", "minute: step 61 in '*/61' must be 1–60: a longer step could only match the first value"),
        ("*/x * * * *", .minute, "*/x", "minute: step 'x' in '*/x' is not a number"),
        ("1,,2 * * * *", .minute, "1,,2", "minute: empty list entry in '1,,2'; separate values with single commas"),
        ("* 22-2 * * *", .hour, "22-2", "hour: range '22-2' runs backwards; write it as two ranges: '22-23,0-2'"),
        ("* * * * fri-mon", .dayOfWeek, "fri-mon", "day-of-week: range 'fri-mon' runs backwards; write it as two ranges: 'fri-sat,sun-mon'"),
        ("0 0 30 2 *", .dayOfMonth, "30", "day-of-month: '30' never occurs in feb (at most 29 days), so the schedule would never fire"),
        ("0 0 31 4,jun *", .dayOfMonth, "31", "day-of-month: '31' never occurs in apr,jun (at most 30 days), so the schedule would never fire"),
    ])
    func fieldErrors(expression: String, field: CronField, value: String, message: String) {
        let error = Fixture.parseError(expression)
        #expect(error?.field == field)
        #expect(error?.value == value)
        #expect(error?.description == message)
    }

    @Test("the wrong number of fields is an error about the whole expression", arguments: [
        ("0 0 * * * *", 6), ("0 0 * *", 4), ("", 0), ("0 0 * * * 2026 x", 7),
    ])
    func fieldCount(expression: String, count: Int) {
        let error = Fixture.parseError(expression)
        #expect(error?.field == nil)
        #expect(error?.description
            == "expected 5 fields (minute hour day-of-month month day-of-week), got \(count) in '\(expression)'; seconds and years are not supported")
    }

    @Test("an unknown macro lists the known ones; @reboot has no meaning for a scheduler")
    func unknownMacro() {
        for macro in ["@reboot", "@every", "@"] {
            #expect(Fixture.parseError(macro)?.description
                == "'\(macro)' is not a cron macro; use one of @yearly @annually @monthly @weekly @daily @midnight @hourly or five fields")
        }
    }

    @Test("a day-of-month that only some selected months lack is fine; OR with day-of-week still fires")
    func reachableDays() {
        #expect(Fixture.parseError("0 0 31 * *") == nil)
        #expect(Fixture.parseError("0 0 29 2 *") == nil)
        #expect(Fixture.parseError("0 0 30 2 mon") == nil)
        #expect(Fixture.parseError("0 0 31 2,3 *") == nil)
    }
}
