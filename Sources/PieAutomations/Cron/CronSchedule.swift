/// A parsed cron expression: five fields (minute hour day-of-month month day-of-week) or one of
/// the @-macros, held as bit sets so that finding the next fire time jumps from one matching
/// value to the next instead of stepping through minutes.
///
/// Days follow Vixie cron: when both day-of-month and day-of-week are restricted (neither field
/// starts with `*`), a day matches when either does; otherwise both must (a field starting with
/// `*`, like `*/2`, still restricts its own values).
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written, without surrounding whitespace.
    public let expression: String
    let minutes: UInt64
    let hours: UInt64
    /// Bits 1–31.
    let daysOfMonth: UInt64
    /// Bits 1–12.
    let months: UInt64
    /// Bits 0–6, Sunday = 0.
    let daysOfWeek: UInt64
    /// Vixie's rule: either day field may match (both restricted), or both must.
    let daysMatchEither: Bool

    public var description: String { expression }

    /// The @-macros and the five fields they stand for.
    static let macros: [(name: String, fields: String)] = [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"),
    ]

    /// Parses a 5-field expression or an @-macro (any case). Fields are separated by spaces or
    /// tabs. An expression whose day-of-month can never fall in its months (`0 0 30 2 *`) is
    /// refused, so every schedule that parses fires.
    public static func parse(_ text: String) throws(CronError) -> CronSchedule {
        let bytes = text.utf8
        let start = bytes.firstIndex { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") } ?? bytes.endIndex
        let end = bytes.lastIndex { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }.map(bytes.index(after:)) ?? start
        let expression = String(text[start..<end])
        let fields: [Substring]
        if expression.hasPrefix("@") {
            guard let macro = macros.first(where: { $0.name == expression.lowercased() }) else {
                throw CronError(
                    field: nil, value: expression,
                    "'\(expression)' is not a cron macro; use one of \(macros.map(\.name).joined(separator: " ")) or five fields")
            }
            fields = macro.fields.split(separator: " ")
        } else {
            fields = expression.split(whereSeparator: isBlank)
        }
        guard fields.count == 5 else {
            throw CronError(
                field: nil, value: expression,
                "expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count) in '\(expression)'; seconds and years are not supported")
        }
        let minutes = try CronFieldParser(field: .minute).parse(String(fields[0]))
        let hours = try CronFieldParser(field: .hour).parse(String(fields[1]))
        let daysOfMonth = try CronFieldParser(field: .dayOfMonth).parse(String(fields[2]))
        let months = try CronFieldParser(field: .month).parse(String(fields[3]))
        let daysOfWeek = try CronFieldParser(field: .dayOfWeek).parse(String(fields[4]))
        let eitherDay = !fields[2].hasPrefix("*") && !fields[4].hasPrefix("*")
        if !eitherDay, !fields[2].hasPrefix("*") {
            try checkDaysOccur(daysOfMonth, in: months, field: String(fields[2]))
        }
        return CronSchedule(
            expression: expression, minutes: minutes, hours: hours, daysOfMonth: daysOfMonth, months: months,
            daysOfWeek: daysOfWeek, daysMatchEither: eitherDay)
    }

    /// When only day-of-month restricts days, some day of it must exist in some selected month
    /// (February counted with 29 days).
    private static func checkDaysOccur(_ days: UInt64, in months: UInt64, field: String) throws(CronError) {
        let firstDay = days.trailingZeroBitCount
        let longest: Int = (1...12).filter { months & (1 << UInt64($0)) != 0 }
            .map { CivilDate.daysInMonth(year: 2000, month: $0) }.max() ?? 31
        guard firstDay > longest else { return }
        let monthNames = (1...12).filter { months & (1 << UInt64($0)) != 0 }.map { CronField.month.names[$0 - 1] }
        throw CronError(
            field: .dayOfMonth, value: field,
            "'\(field)' never occurs in \(monthNames.joined(separator: ",")) (at most \(longest) days), so the schedule would never fire")
    }

    /// The days of a month that match, as bits 1–31, given its length and the weekday of its 1st.
    func matchingDays(daysInMonth: Int, firstWeekday: Int) -> UInt64 {
        // The weekday set rotated so that bit 0 is the 1st's weekday, repeated for five weeks.
        let rotated = ((daysOfWeek >> UInt64(firstWeekday)) | (daysOfWeek << UInt64(7 - firstWeekday))) & 0x7F
        let weekdayDays = (rotated | rotated << 7 | rotated << 14 | rotated << 21 | rotated << 28) << 1
        let valid: UInt64 = ((1 << UInt64(daysInMonth + 1)) - 1) & ~1
        let days = daysMatchEither ? (daysOfMonth | weekdayDays) : (daysOfMonth & weekdayDays)
        return days & valid
    }

    private static func isBlank(_ character: Character) -> Bool { character == " " || character == "\t" }
}
