/// Reads a POSIX TZ rule string:
///
///     std offset [dst [offset] [,start[/time],end[/time]]]
///
/// Names are three or more letters or `<…>` quoted (`<+0330>`); offsets and times are
/// `[+-]hh[:mm[:ss]]`. A daylight name without rules gets the US rules `M3.2.0,M11.1.0`, as glibc
/// does when it has no `posixrules` file. Whole-string or nothing: trailing text is an error.
struct PosixTimeZoneRuleParser {
    private let bytes: [UInt8]
    private var position = 0

    /// Nil when `text` is not a rule; the callers name the string in their own error.
    static func parse(_ text: String) -> PosixTimeZoneRule? {
        var parser = PosixTimeZoneRuleParser(bytes: Array(text.utf8))
        return parser.rule()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func rule() -> PosixTimeZoneRule? {
        guard name(), let west = duration(maxHours: 24) else { return nil }
        let standard = Int32(-west)
        guard position < bytes.count else { return PosixTimeZoneRule(standardOffset: standard, daylight: nil) }
        guard name() else { return nil }
        var daylightOffset = standard + 3600
        if position < bytes.count, bytes[position] != UInt8(ascii: ",") {
            guard let daylightWest = duration(maxHours: 24) else { return nil }
            daylightOffset = Int32(-daylightWest)
        }
        var start = PosixTimeZoneRule.TransitionDate.monthWeekDay(month: 3, week: 2, weekday: 0)
        var end = PosixTimeZoneRule.TransitionDate.monthWeekDay(month: 11, week: 1, weekday: 0)
        var startTime: Int64 = 7200
        var endTime: Int64 = 7200
        if position < bytes.count {
            guard take(","), let first = date() else { return nil }
            start = first
            if take("/") {
                guard let time = duration(maxHours: 167) else { return nil }
                startTime = time
            }
            guard take(","), let second = date() else { return nil }
            end = second
            if take("/") {
                guard let time = duration(maxHours: 167) else { return nil }
                endTime = time
            }
        }
        guard position == bytes.count else { return nil }
        return PosixTimeZoneRule(
            standardOffset: standard,
            daylight: .init(offset: daylightOffset, start: start, startTime: startTime, end: end, endTime: endTime))
    }

    /// A zone abbreviation: `<` [A-Za-z0-9+-]+ `>` or three or more letters.
    private mutating func name() -> Bool {
        if take("<") {
            let begin = position
            while position < bytes.count, isQuotedNameByte(bytes[position]) { position += 1 }
            return position > begin && take(">")
        }
        let begin = position
        while position < bytes.count, isLetter(bytes[position]) { position += 1 }
        return position - begin >= 3
    }

    /// `[+-]hh[:mm[:ss]]` in seconds; hours up to `maxHours`.
    private mutating func duration(maxHours: Int64) -> Int64? {
        var sign: Int64 = 1
        if take("-") { sign = -1 } else { _ = take("+") }
        guard let hours = number(maxDigits: 3), hours <= maxHours else { return nil }
        var seconds = hours * 3600
        for unit: Int64 in [60, 1] {
            guard take(":") else { break }
            guard let value = number(maxDigits: 2), value <= 59 else { return nil }
            seconds += value * unit
        }
        return sign * seconds
    }

    private mutating func date() -> PosixTimeZoneRule.TransitionDate? {
        if take("J") {
            guard let day = number(maxDigits: 3), (1...365).contains(day) else { return nil }
            return .julianNoLeap(Int(day))
        }
        if take("M") {
            guard let month = number(maxDigits: 2), (1...12).contains(month), take("."),
                let week = number(maxDigits: 1), (1...5).contains(week), take("."),
                let weekday = number(maxDigits: 1), (0...6).contains(weekday)
            else { return nil }
            return .monthWeekDay(month: Int(month), week: Int(week), weekday: Int(weekday))
        }
        guard let day = number(maxDigits: 3), day <= 365 else { return nil }
        return .zeroBased(Int(day))
    }

    private mutating func number(maxDigits: Int) -> Int64? {
        let begin = position
        var value: Int64 = 0
        while position < bytes.count, position - begin < maxDigits, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            value = value * 10 + Int64(bytes[position] - UInt8(ascii: "0"))
            position += 1
        }
        return position > begin ? value : nil
    }

    private mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }

    private func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private func isQuotedNameByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }
}
