/// A POSIX TZ rule string (POSIX.1 8.3, with RFC 8536's extensions: hours up to ±167 in
/// transition times, so all-year daylight time can be written), e.g. `CET-1CEST,M3.5.0,M10.5.0/3`.
/// TZif files end with one for the times after their last transition; `TZ` may hold one.
///
/// Offsets in the string count hours west of UTC (`CET-1` is one hour east); this type stores
/// seconds east of UTC like TZif and RFC 3339 do.
struct PosixTimeZoneRule: Sendable, Hashable {
    /// Seconds east of UTC outside daylight time.
    var standardOffset: Int32
    var daylight: Daylight?

    struct Daylight: Sendable, Hashable {
        /// Seconds east of UTC during daylight time.
        var offset: Int32
        var start: TransitionDate
        /// Seconds after local midnight (standard time) of the start day; may be negative or
        /// exceed a day.
        var startTime: Int64
        var end: TransitionDate
        /// Seconds after local midnight (daylight time) of the end day.
        var endTime: Int64
    }

    /// The day of the year a change happens.
    enum TransitionDate: Sendable, Hashable {
        /// `Jn`: day 1–365, February 29 never counted.
        case julianNoLeap(Int)
        /// `n`: day 0–365, February 29 counted in leap years.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday d (0 = Sunday) of week w (1–5, 5 = the last) of month m.
        case monthWeekDay(month: Int, week: Int, weekday: Int)

        /// Days since the epoch of this date in `year`.
        func day(in year: Int) -> Int64 {
            let january1 = CivilDate(year: year, month: 1, day: 1).daysSinceEpoch
            switch self {
            case .julianNoLeap(let day):
                let leapDay: Int64 = CivilDate.isLeapYear(year) && day >= 60 ? 1 : 0
                return january1 + Int64(day - 1) + leapDay
            case .zeroBased(let day):
                return january1 + Int64(day)
            case .monthWeekDay(let month, let week, let weekday):
                let first = CivilDate(year: year, month: month, day: 1).daysSinceEpoch
                var day = 1 + (weekday - CivilDate.weekday(daysSinceEpoch: first) + 7) % 7 + (week - 1) * 7
                let length = CivilDate.daysInMonth(year: year, month: month)
                while day > length { day -= 7 }
                return first + Int64(day - 1)
            }
        }
    }

    /// The year's changes in time order: each instant and the offset in force from it.
    func transitions(in year: Int) -> [(instant: Int64, offset: Int32)] {
        guard let daylight else { return [] }
        let start = daylight.start.day(in: year) * 86_400 + daylight.startTime - Int64(standardOffset)
        let end = daylight.end.day(in: year) * 86_400 + daylight.endTime - Int64(daylight.offset)
        let changes = [(start, daylight.offset), (end, standardOffset)]
        return start <= end ? changes : changes.reversed()
    }

    /// Seconds east of UTC at `instant`: the last change at or before it among the year around it
    /// and its neighbours (a change at the same instant as the previous year's counts as later,
    /// which keeps all-year daylight time in force across New Year).
    func offset(at instant: Int64) -> Int32 {
        guard daylight != nil else { return standardOffset }
        let year = CivilDate(daysSinceEpoch: floorDivide(instant + Int64(standardOffset), 86_400)).year
        var current: (instant: Int64, offset: Int32)?
        for candidate in [year - 1, year, year + 1].flatMap(transitions(in:)) where candidate.instant <= instant {
            if candidate.instant >= (current?.instant ?? .min) { current = candidate }
        }
        return current?.offset ?? standardOffset
    }
}
