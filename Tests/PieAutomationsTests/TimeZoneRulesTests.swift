import Glibc
import Testing
@testable import PieAutomations

/// Zones from TZif files and POSIX TZ strings, and the errors for zones that cannot be used.
@Suite struct TimeZoneRulesTests {
    @Test("offsets from the system's zone files, before and after a change, and far in the future")
    func offsets() throws {
        let berlin = try Fixture.zone("Europe/Berlin")
        #expect(berlin.offset(at: try Fixture.instant("2026-03-29T00:59:59Z")) == 3600)
        #expect(berlin.offset(at: try Fixture.instant("2026-03-29T01:00:00Z")) == 7200)
        #expect(berlin.offset(at: try Fixture.instant("2026-10-25T00:59:59Z")) == 7200)
        #expect(berlin.offset(at: try Fixture.instant("2026-10-25T01:00:00Z")) == 3600)
        #expect(berlin.offset(at: try Fixture.instant("2500-07-01T00:00:00Z")) == 7200)
        #expect(berlin.offset(at: try Fixture.instant("1900-01-01T00:00:00Z")) == 3600)
        let kolkata = try Fixture.zone("Asia/Kolkata")
        #expect(kolkata.offset(at: try Fixture.instant("2026-07-01T00:00:00Z")) == 19_800)
        #expect(TimeZoneRules.utc.offset(at: try Fixture.instant("2026-07-01T00:00:00Z")) == 0)
    }

    @Test("a POSIX TZ rule in TZ: northern, southern, half-hour, quoted names, all-year daylight time")
    func posixRules() throws {
        let rule = { (text: String) throws -> TimeZoneRules in try TimeZoneRules.local(environment: ["TZ": text], localtime: "/nonexistent") }
        let berlin = try rule("CET-1CEST,M3.5.0,M10.5.0/3")
        #expect(berlin.offset(at: try Fixture.instant("2026-03-29T00:59:59Z")) == 3600)
        #expect(berlin.offset(at: try Fixture.instant("2026-03-29T01:00:00Z")) == 7200)
        #expect(berlin.offset(at: try Fixture.instant("2026-10-25T01:00:00Z")) == 3600)
        let lordHowe = try rule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0")
        #expect(lordHowe.offset(at: try Fixture.instant("2026-01-15T00:00:00Z")) == 39_600)
        #expect(lordHowe.offset(at: try Fixture.instant("2026-07-15T00:00:00Z")) == 37_800)
        let newYork = try rule("EST5EDT")  // no rules: the US ones
        #expect(newYork.offset(at: try Fixture.instant("2026-03-08T06:59:59Z")) == -18_000)
        #expect(newYork.offset(at: try Fixture.instant("2026-03-08T07:00:00Z")) == -14_400)
        let always = try rule("EST5EDT4,0/0,J365/25")
        #expect(always.offset(at: try Fixture.instant("2026-01-01T00:30:00Z")) == -14_400)
        #expect(always.offset(at: try Fixture.instant("2026-12-31T23:30:00Z")) == -14_400)
        #expect(try rule("<-03>3").offset(at: try Fixture.instant("2026-01-01T00:00:00Z")) == -10_800)
        // The same rule, read from the zone file's footer, agrees with the file far ahead.
        let file = try Fixture.zone("Europe/Berlin")
        for year in [2040, 2199, 2201, 2399] {
            for date in ["03-24", "03-25", "03-26", "03-27", "03-28", "03-29", "03-30", "03-31",
                "10-24", "10-25", "10-26", "10-27", "10-28", "10-29", "10-30", "10-31"] {
                for time in ["00:30", "01:30"] {
                    let instant = try Fixture.instant("\(year)-\(date)T\(time):00Z")
                    #expect(file.offset(at: instant) == berlin.offset(at: instant), "\(year)-\(date)T\(time)")
                }
            }
        }
    }

    @Test("local: TZ names a zone (with or without ':'), an absolute file, or is empty (UTC); unset reads /etc/localtime")
    func localZone() throws {
        #expect(try TimeZoneRules.local(environment: ["TZ": "Europe/Berlin"]).identifier == "Europe/Berlin")
        #expect(try TimeZoneRules.local(environment: ["TZ": ":America/New_York"]).identifier == "America/New_York")
        let byPath = try TimeZoneRules.local(environment: ["TZ": "/usr/share/zoneinfo/Asia/Tokyo"])
        #expect(byPath.offset(at: Instant(secondsSinceEpoch: 0)) == 32_400)
        #expect(try TimeZoneRules.local(environment: ["TZ": ""]).identifier == "UTC")
        #expect(try TimeZoneRules.named("local", environment: ["TZ": "Asia/Kolkata"]).identifier == "Asia/Kolkata")
        let fromLink = try TimeZoneRules.local(environment: [:], localtime: "/usr/share/zoneinfo/Australia/Lord_Howe")
        #expect(fromLink.offset(at: try Fixture.instant("2026-07-01T00:00:00Z")) == 37_800)
        #expect(try TimeZoneRules.local(environment: [:], localtime: "/nonexistent/localtime").identifier == "UTC")
    }

    @Test("an unknown zone names itself and where zones are looked up")
    func unknownZone() {
        #expect(throws: TimeZoneError.unknown("Europe/Berln", directory: "/usr/share/zoneinfo")) {
            try TimeZoneRules.named("Europe/Berln", environment: [:])
        }
        #expect(TimeZoneError.unknown("Mars/Olympus", directory: "/usr/share/zoneinfo").description
            == "unknown time zone 'Mars/Olympus': no such file /usr/share/zoneinfo/Mars/Olympus (IANA names like Europe/Berlin or UTC are looked up in /usr/share/zoneinfo, from Debian's tzdata package; 'local' is TZ or /etc/localtime)")
        #expect(throws: TimeZoneError.self) { try TimeZoneRules.local(environment: ["TZ": "Not/AZone"]) }
    }

    @Test("names that could leave the zone directory or are not zone names are refused before any file is read", arguments: [
        ("../../../etc/passwd", "zone names cannot contain '..'"),
        ("Europe/../../etc/shadow", "zone names cannot contain '..'"),
        ("/etc/passwd", "zone names are relative to the zone directory, not absolute paths"),
        ("Europe//Berlin", "it has an empty path component"),
        ("Europe/", "it has an empty path component"),
        ("", "it is empty"),
        ("-rf", "a component starts with '-'"),
        ("zone.tab", "only letters, digits and / _ + - are allowed"),
        ("Europe/Berlin\n", "only letters, digits and / _ + - are allowed"),
        ("Europe/Berlín", "only letters, digits and / _ + - are allowed"),
    ])
    func refusedNames(name: String, reason: String) {
        #expect(throws: TimeZoneError.invalidName(name, reason)) { try TimeZoneRules.named(name, environment: [:]) }
    }

    @Test("a directory of zones, or a file that is not TZif, is an error naming it")
    func notAZone() {
        #expect(throws: TimeZoneError.invalidName(
            "Europe", "/usr/share/zoneinfo/Europe is a directory of zones, not a zone; name one inside it, e.g. Europe/Berlin")) {
            try TimeZoneRules.named("Europe", environment: [:])
        }
        #expect(throws: TimeZoneError.notAZone("/etc/hostname", path: "/etc/hostname", "it does not start with the TZif magic")) {
            try TimeZoneRules.local(environment: ["TZ": "/etc/hostname"])
        }
    }

    @Test("a FIFO or a device named by TZ is refused at once, not opened for a blocking read")
    func notARegularFile() throws {
        let fifo = "/tmp/pie-tz-fifo-\(getpid())"
        unlink(fifo)
        try #require(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        #expect(throws: TimeZoneError.unreadable(fifo, path: fifo, "not a regular file")) {
            try TimeZoneRules.local(environment: ["TZ": fifo])
        }
        #expect(throws: TimeZoneError.unreadable("/dev/zero", path: "/dev/zero", "not a regular file")) {
            try TimeZoneRules.local(environment: ["TZ": "/dev/zero"])
        }
    }

    @Test("TZDIR moves the zone directory, as for glibc")
    func zoneDirectory() throws {
        #expect(throws: TimeZoneError.unknown("Europe/Berlin", directory: "/nonexistent")) {
            try TimeZoneRules.named("Europe/Berlin", environment: ["TZDIR": "/nonexistent"])
        }
        #expect(try TimeZoneRules.named("Europe/Berlin", environment: ["TZDIR": "/usr/share/zoneinfo/"]).identifier == "Europe/Berlin")
    }

    @Test("a version 1 file (32-bit data, no footer) and truncated or corrupt files")
    func tzifVersions() throws {
        let version1 = TZifBytes.version1(transitions: [(1_000, 1)], offsets: [3600, 7200])
        let rules = try TimeZoneRules(tzif: version1, identifier: "test")
        #expect(rules.offset(at: Instant(secondsSinceEpoch: 999)) == 3600)
        #expect(rules.offset(at: Instant(secondsSinceEpoch: 1_000)) == 7200)
        #expect(rules.offset(at: Instant(secondsSinceEpoch: 1 << 40)) == 7200)
        #expect(throws: TimeZoneError.notAZone("test", path: "test", "it ends early")) {
            try TimeZoneRules(tzif: Array(version1.dropLast(3)), identifier: "test")
        }
        var badIndex = version1
        badIndex[44 + 4] = 9
        #expect(throws: TimeZoneError.notAZone("test", path: "test", "a transition names a missing local time type")) {
            try TimeZoneRules(tzif: badIndex, identifier: "test")
        }
        let berlin = try ZoneFile.read("/usr/share/zoneinfo/Europe/Berlin")
        #expect(throws: TimeZoneError.notAZone("test", path: "test", "its footer does not end with a newline")) {
            try TimeZoneRules(tzif: Array(berlin.dropLast()), identifier: "test")
        }
    }
}

/// Builds small TZif files for the parser's edge cases.
enum TZifBytes {
    static func version1(transitions: [(time: Int32, type: UInt8)], offsets: [Int32]) -> [UInt8] {
        var bytes = Array("TZif".utf8) + [0] + [UInt8](repeating: 0, count: 15)
        for count in [0, 0, 0, transitions.count, offsets.count, 4] { bytes += int32(Int32(count)) }
        for transition in transitions { bytes += int32(transition.time) }
        for transition in transitions { bytes.append(transition.type) }
        for offset in offsets { bytes += int32(offset) + [0, 0] }
        bytes += Array("ABC\0".utf8)
        return bytes
    }

    private static func int32(_ value: Int32) -> [UInt8] {
        let bits = UInt32(bitPattern: value)
        return [UInt8(bits >> 24), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF)]
    }
}
