/// A date in the proleptic Gregorian calendar, and the day arithmetic cron, TZif rules and
/// RFC 3339 need: days since the epoch, weekdays, month lengths. Integer formulas (the
/// "days from civil" method: a year that starts in March puts the leap day last), so no table
/// and no Foundation calendar is needed.
struct CivilDate: Hashable, Sendable {
    var year: Int
    /// 1–12.
    var month: Int
    /// 1–31.
    var day: Int

    /// Days since 1970-01-01 (negative before).
    var daysSinceEpoch: Int64 {
        let shiftedYear = Int64(month <= 2 ? year - 1 : year)
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let monthFromMarch = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    init(year: Int, month: Int, day: Int) {
        (self.year, self.month, self.day) = (year, month, day)
    }

    init(daysSinceEpoch days: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1)
        month = Int(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9)
        year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
    }

    /// 0 = Sunday … 6 = Saturday, as cron and POSIX TZ rules count.
    var weekday: Int { Self.weekday(daysSinceEpoch: daysSinceEpoch) }

    static func weekday(daysSinceEpoch days: Int64) -> Int {
        // 1970-01-01 was a Thursday.
        Int(floorMod(days + 4, 7))
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// Division rounding toward negative infinity: instants before the epoch still fall into the
/// day, minute or second that contains them.
func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
}

/// The remainder that goes with `floorDivide`: always in 0..<divisor for a positive divisor.
func floorMod(_ value: Int64, _ divisor: Int64) -> Int64 {
    value - floorDivide(value, divisor) * divisor
}
