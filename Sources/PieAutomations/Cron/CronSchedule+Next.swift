/// Fire times. The search walks local wall-clock time field by field (next matching month, then
/// day, hour, minute, each found with a bit scan), then turns the wall-clock minute into an
/// instant with the zone's rules:
///
/// - a minute skipped by a forward change fires once, at the instant the clock jumps past it;
///   every skipped minute of one gap lands on that same instant and fires once;
/// - a minute that occurs twice fires once, at its first occurrence.
///
/// Wall-clock minutes map to instants in order, so the first matching minute whose instant lies
/// after `after` is the answer.
extension CronSchedule {
    /// How far ahead the search looks. Every schedule that parses fires within this (a
    /// February 29 that is a given weekday recurs within 40 years).
    static let searchYears = 400

    /// The span fire times are searched in: the years 0000–9999, which RFC 3339 can write.
    static let searchedInstants: ClosedRange<Int64> = -62_167_219_200...253_402_300_799

    /// The first fire time strictly after `after`, or nil when there is none before the year 9999
    /// ends. Instants before the year 0000 count as its start.
    public func next(after requested: Instant, in zone: TimeZoneRules) -> Instant? {
        guard requested.secondsSinceEpoch < Self.searchedInstants.upperBound else { return nil }
        let after = Instant(secondsSinceEpoch: max(requested.secondsSinceEpoch, Self.searchedInstants.lowerBound - 1))
        let local = after.secondsSinceEpoch + Int64(zone.offset(at: after))
        var minute = floorDivide(local, 60) + 1
        // In the second pass of a repeated hour, its wall-clock times have fired already.
        if case .repeated(_, let second, let endOfRepeat) = zone.resolve(local: local), after >= second {
            minute = max(minute, floorDivide(endOfRepeat + 59, 60))
        }
        let lastYear = min(9999, CivilDate(daysSinceEpoch: floorDivide(local, 86_400)).year + Self.searchYears)
        while let candidate = nextLocalMinute(atOrAfter: minute, throughYear: lastYear) {
            let instant = zone.fireInstant(local: candidate * 60)
            if instant > requested { return instant }
            minute = candidate + 1
        }
        return nil
    }

    /// Up to `count` successive fire times after `after` (fewer only when the schedule runs out
    /// before the year 9999 ends).
    public func nextTimes(after: Instant, count: Int, in zone: TimeZoneRules) -> [Instant] {
        var times: [Instant] = []
        var current = after
        while times.count < count, let time = next(after: current, in: zone) {
            times.append(time)
            current = time
        }
        return times
    }

    /// The first matching wall-clock minute (minutes since the epoch, as if local time were UTC)
    /// at or after `start`, looking no further than the end of `lastYear`.
    func nextLocalMinute(atOrAfter start: Int64, throughYear lastYear: Int) -> Int64? {
        let startDay = floorDivide(start, 1440)
        let date = CivilDate(daysSinceEpoch: startDay)
        var (year, month, day) = (date.year, date.month, date.day)
        let minuteOfDay = Int(start - startDay * 1440)
        var (hour, minute) = (minuteOfDay / 60, minuteOfDay % 60)
        while year <= lastYear {
            guard let matchingMonth = Self.firstBit(of: months, from: month, through: 12) else {
                (year, month, day, hour, minute) = (year + 1, 1, 1, 0, 0)
                continue
            }
            if matchingMonth != month { (month, day, hour, minute) = (matchingMonth, 1, 0, 0) }
            let firstOfMonth = CivilDate(year: year, month: month, day: 1).daysSinceEpoch
            let days = matchingDays(
                daysInMonth: CivilDate.daysInMonth(year: year, month: month),
                firstWeekday: CivilDate.weekday(daysSinceEpoch: firstOfMonth))
            guard let matchingDay = Self.firstBit(of: days, from: day, through: 31) else {
                (month, day, hour, minute) = (month + 1, 1, 0, 0)
                continue
            }
            if matchingDay != day { (day, hour, minute) = (matchingDay, 0, 0) }
            guard let matchingHour = Self.firstBit(of: hours, from: hour, through: 23) else {
                (day, hour, minute) = (day + 1, 0, 0)
                continue
            }
            if matchingHour != hour { (hour, minute) = (matchingHour, 0) }
            guard let matchingMinute = Self.firstBit(of: minutes, from: minute, through: 59) else {
                (hour, minute) = (hour + 1, 0)
                continue
            }
            return (firstOfMonth + Int64(day - 1)) * 1440 + Int64(hour * 60 + matchingMinute)
        }
        return nil
    }

    /// The lowest set bit of `bits` in `from...through`.
    static func firstBit(of bits: UInt64, from: Int, through: Int) -> Int? {
        guard from <= through else { return nil }
        let remaining = bits >> UInt64(from)
        guard remaining != 0 else { return nil }
        let value = from + remaining.trailingZeroBitCount
        return value <= through ? value : nil
    }
}
