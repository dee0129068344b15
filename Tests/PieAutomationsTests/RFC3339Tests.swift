import Testing
@testable import PieAutomations

@Suite struct RFC3339Tests {
    @Test("formatting shows the zone's offset at the instant")
    func format() throws {
        let berlin = try Fixture.zone("Europe/Berlin")
        #expect(RFC3339.format(Instant(secondsSinceEpoch: 1_798_099_200), in: berlin) == "2026-12-24T09:00:00+01:00")
        #expect(RFC3339.format(Instant(secondsSinceEpoch: 0), in: .utc) == "1970-01-01T00:00:00+00:00")
        #expect(RFC3339.format(Instant(secondsSinceEpoch: -1), in: try Fixture.zone("America/New_York")) == "1969-12-31T18:59:59-05:00")
        #expect(RFC3339.format(Instant(secondsSinceEpoch: 0), in: try Fixture.zone("Asia/Kolkata")) == "1970-01-01T05:30:00+05:30")
        // Local mean time with seconds in its offset cannot be written: UTC instead.
        #expect(RFC3339.format(try Fixture.instant("1850-01-01T00:00:00Z"), in: berlin) == "1850-01-01T00:00:00Z")
    }

    @Test("parsing: offsets, Z, lower-case t and z, a space, fractions dropped, a leap second as :59")
    func parse() throws {
        #expect(try RFC3339.parse("2026-12-24T09:00:00+01:00") == Instant(secondsSinceEpoch: 1_798_099_200))
        #expect(try RFC3339.parse("2026-12-24T08:00:00Z") == Instant(secondsSinceEpoch: 1_798_099_200))
        #expect(try RFC3339.parse("2026-12-24t03:00:00-05:00") == Instant(secondsSinceEpoch: 1_798_099_200))
        #expect(try RFC3339.parse("2026-12-24 08:00:00.999z") == Instant(secondsSinceEpoch: 1_798_099_200))
        #expect(try RFC3339.parse("2016-12-31T23:59:60Z") == RFC3339.parse("2016-12-31T23:59:59Z"))
        #expect(try RFC3339.parse("1969-12-31T23:59:59Z") == Instant(secondsSinceEpoch: -1))
    }

    @Test("refusals name the text and the part that is wrong", arguments: [
        ("2026-12-24T09:00:00", "it has no offset; add Z for UTC or ±HH:MM"),
        ("2026-13-01T00:00:00Z", "month 13 is out of range 01–12"),
        ("2026-02-29T00:00:00Z", "day 29 is out of range 01–28 for that month"),
        ("2026-12-24T24:00:00Z", "hour 24 is out of range 00–23"),
        ("2026-12-24T09:60:00Z", "minute 60 is out of range 00–59"),
        ("2026-12-24T09:00:61Z", "second 61 is out of range 00–60"),
        ("2026-12-24", "expected 'T' and a time after the date"),
        ("2026/12/24T09:00:00Z", "expected '-' after the year"),
        ("2026-12-24T09:00:00+1:00", "expected 2 digits for the offset's hours"),
        ("2026-12-24T09:00:00+24:00", "offset 24:0 is out of range (at most 23:59)"),
        ("2026-12-24T09:00:00Z junk", "unexpected text after the offset"),
        ("2026-12-24T09:00:00.Z", "expected digits after the decimal point"),
        ("tomorrow", "expected 4 digits for the year"),
    ])
    func refusals(text: String, problem: String) {
        #expect(throws: RFC3339Error(text: text, problem)) { try RFC3339.parse(text) }
        #expect(RFC3339Error(text: text, problem).description == "'\(text)' is not an RFC 3339 time: \(problem) (expected e.g. 2026-12-24T09:00:00+01:00)")
    }
}
