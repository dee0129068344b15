/// RFC 3339 timestamps: `2026-12-24T09:00:00+01:00`. Formatting writes the zone's offset at the
/// instant (so the text shows the local time the user scheduled); parsing needs an explicit
/// offset, since a local time alone can be ambiguous or skipped.
public enum RFC3339 {
    /// The instant in `zone`'s local time with its offset. Offsets with seconds (local mean time
    /// before 1900) cannot be written in RFC 3339; such instants are written in UTC with `Z`.
    public static func format(_ instant: Instant, in zone: TimeZoneRules) -> String {
        let zoneOffset = Int64(zone.offset(at: instant))
        let writable = zoneOffset % 60 == 0
        let offset = writable ? zoneOffset : 0
        let local = instant.secondsSinceEpoch + offset
        let date = CivilDate(daysSinceEpoch: floorDivide(local, 86_400))
        let secondOfDay = Int(floorMod(local, 86_400))
        var text = "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))"
        text += "T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        guard writable else { return text + "Z" }
        let minutes = Int(abs(offset) / 60)
        return text + (offset < 0 ? "-" : "+") + "\(pad(minutes / 60, 2)):\(pad(minutes % 60, 2))"
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (`T` may be `t` or a space, `Z` may be
    /// `z`). A fraction is dropped (cron works in whole minutes, and "after 09:00:00.5" and
    /// "after 09:00:00" have the same next minute); a leap second (`:60`) counts as `:59`.
    public static func parse(_ text: String) throws(RFC3339Error) -> Instant {
        var reader = RFC3339Reader(text: text)
        return try reader.instant()
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// The parser behind `RFC3339.parse`.
private struct RFC3339Reader {
    let text: String
    let bytes: [UInt8]
    var position = 0

    init(text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    mutating func instant() throws(RFC3339Error) -> Instant {
        let year = try number(4, "the year")
        try expect("-", after: "the year")
        let month = try number(2, "the month")
        try expect("-", after: "the month")
        let day = try number(2, "the day")
        guard (1...12).contains(month) else { throw fail("month \(month) is out of range 01–12") }
        let length = CivilDate.daysInMonth(year: year, month: month)
        guard (1...length).contains(day) else { throw fail("day \(day) is out of range 01–\(length) for that month") }
        guard position < bytes.count, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[position]) else {
            throw fail("expected 'T' and a time after the date")
        }
        position += 1
        let hour = try number(2, "the hour")
        try expect(":", after: "the hour")
        let minute = try number(2, "the minute")
        try expect(":", after: "the minute")
        let second = try number(2, "the second")
        guard hour <= 23 else { throw fail("hour \(hour) is out of range 00–23") }
        guard minute <= 59 else { throw fail("minute \(minute) is out of range 00–59") }
        guard second <= 60 else { throw fail("second \(second) is out of range 00–60") }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            let start = position
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            guard position > start else { throw fail("expected digits after the decimal point") }
        }
        let offset = try self.offset()
        guard position == bytes.count else { throw fail("unexpected text after the offset") }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        let local = days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
        return Instant(secondsSinceEpoch: local - offset)
    }

    private mutating func offset() throws(RFC3339Error) -> Int64 {
        guard position < bytes.count else {
            throw fail("it has no offset; add Z for UTC or ±HH:MM")
        }
        let sign = bytes[position]
        position += 1
        if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") { return 0 }
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else {
            throw fail("expected Z or ±HH:MM after the time")
        }
        let hours = try number(2, "the offset's hours")
        try expect(":", after: "the offset's hours")
        let minutes = try number(2, "the offset's minutes")
        guard hours <= 23, minutes <= 59 else { throw fail("offset \(hours):\(minutes) is out of range (at most 23:59)") }
        let seconds = Int64(hours * 3600 + minutes * 60)
        return sign == UInt8(ascii: "-") ? -seconds : seconds
    }

    private mutating func number(_ digits: Int, _ what: String) throws(RFC3339Error) -> Int {
        guard bytes.count - position >= digits, bytes[position..<position + digits].allSatisfy(isDigit) else {
            throw fail("expected \(digits) digits for \(what)")
        }
        var value = 0
        for byte in bytes[position..<position + digits] { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
        position += digits
        return value
    }

    private mutating func expect(_ character: Unicode.Scalar, after what: String) throws(RFC3339Error) {
        guard position < bytes.count, bytes[position] == UInt8(ascii: character) else {
            throw fail("expected '\(character)' after \(what)")
        }
        position += 1
    }

    private func fail(_ problem: String) -> RFC3339Error {
        RFC3339Error(text: text, problem)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
