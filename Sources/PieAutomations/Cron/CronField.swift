/// The five fields of a cron expression, in the order they are written, with the values and
/// names each accepts.
public enum CronField: String, Sendable, CaseIterable {
    case minute
    case hour
    case dayOfMonth = "day-of-month"
    case month
    case dayOfWeek = "day-of-week"

    /// The smallest value the field accepts.
    var lowest: Int {
        switch self {
        case .minute, .hour, .dayOfWeek: 0
        case .dayOfMonth, .month: 1
        }
    }

    /// The largest value the field accepts; day-of-week takes 7 as a second Sunday, as Vixie
    /// cron does.
    var highest: Int {
        switch self {
        case .minute: 59
        case .hour: 23
        case .dayOfMonth: 31
        case .month: 12
        case .dayOfWeek: 7
        }
    }

    /// Where `*` and `a/step` end: the highest value, except that day-of-week's second Sunday
    /// counts only when written (`mon/2` is Monday, Wednesday, Friday; croniter agrees).
    var implicitHighest: Int { self == .dayOfWeek ? 6 : highest }

    /// Three-letter names, lower case, indexed from `lowest`.
    var names: [String] {
        switch self {
        case .month: Self.monthNames
        case .dayOfWeek: Self.dayNames
        case .minute, .hour, .dayOfMonth: []
        }
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// What a single value of this field may be, for error messages.
    var valueDescription: String {
        switch self {
        case .month: "a month (jan–dec or 1–12)"
        case .dayOfWeek: "a day name (sun–sat or 0–7)"
        case .minute, .hour, .dayOfMonth: "a number (\(lowest)–\(highest))"
        }
    }

    /// The bit a value sets: day-of-week 7 is Sunday, bit 0.
    func bit(for value: Int) -> UInt64 {
        self == .dayOfWeek && value == 7 ? 1 : 1 << UInt64(value)
    }
}
