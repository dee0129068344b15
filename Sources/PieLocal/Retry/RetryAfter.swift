/// Parses `Retry-After`: delay-seconds or an HTTP-date (IMF-fixdate, e.g.
/// `Wed, 21 Oct 2015 07:28:00 GMT`).
public enum RetryAfter {
    /// Milliseconds to wait, or `nil` when the value is neither form. `now` is seconds since
    /// 1970 (injectable for tests); a date in the past means "now" (0).
    public static func milliseconds(from value: String, now: Double? = nil) -> Int? {
        let trimmed = value.trimmingSpaces()
        if let seconds = Double(trimmed), seconds >= 0 { return Int(seconds * 1000) }
        guard let date = httpDateSeconds(trimmed) else { return nil }
        let current = now ?? WallClock.secondsSince1970()
        return max(0, Int((Double(date) - current) * 1000))
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since 1970 for an IMF-fixdate.
    static func httpDateSeconds(_ text: String) -> Int? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, let day = Int(parts[1]),
              let month = months.firstIndex(of: parts[2].lowercased()), let year = Int(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        return daysSinceEpoch(year: year, month: month + 1, day: day) * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil algorithm).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
