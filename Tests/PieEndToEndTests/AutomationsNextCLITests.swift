import Foundation
import Testing

/// `pie automations next --cron …` run as a user would: the built binary, its stdout and exit code.
@Suite("pie automations next")
struct AutomationsNextCLITests {
    @Test("--json prints an array of RFC 3339 times with the zone's offset, across Berlin's spring change")
    func json() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPie(
            ["automations", "next", "--cron", "30 2 * * *", "--timezone", "Europe/Berlin", "--from", "2026-03-28T12:00:00+01:00",
             "--count", "3", "--json"],
            cwd: project.path)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let times = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String]
        #expect(times == ["2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00", "2026-03-31T02:30:00+02:00"])
    }

    @Test("without --json, one time per line; the zone defaults to local (TZ)")
    func lines() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPie(
            ["automations", "next", "--cron", "@monthly", "--from", "2026-12-24T09:00:00+01:00", "--count", "2"],
            cwd: project.path, environment: ["TZ": "America/New_York"])
        #expect(result.status == 0)
        #expect(result.stdout == "2027-01-01T00:00:00-05:00\n2027-02-01T00:00:00-05:00\n")
    }

    @Test("bad input exits 2 with the error naming the flag, the field and the value", arguments: [
        (["--cron", "* * * * mon-xyz"], "pie: --cron: day-of-week: 'xyz' in 'mon-xyz' is not a day name (sun–sat or 0–7)"),
        (["--cron", "61 * * * *"], "pie: --cron: minute: 61 is out of range 0–59"),
        (["--cron", "0 0 * * * *"], "pie: --cron: expected 5 fields (minute hour day-of-month month day-of-week), got 6 in '0 0 * * * *'; seconds and years are not supported"),
        (["--cron", "@daily", "--timezone", "Mars/Olympus"], "pie: --timezone: unknown time zone 'Mars/Olympus': no such file /usr/share/zoneinfo/Mars/Olympus"),
        (["--cron", "@daily", "--timezone", "../../etc/passwd"], "pie: --timezone: '../../etc/passwd' is not a time zone name: zone names cannot contain '..'"),
        (["--cron", "@daily", "--from", "2026-12-24T09:00:00"], "pie: --from: '2026-12-24T09:00:00' is not an RFC 3339 time: it has no offset"),
        (["--cron", "@daily", "--count", "0"], "pie: --count 0 is out of range 1–1000"),
        ([], "pie: pie automations next needs --cron EXPR"),
    ])
    func badInput(arguments: [String], message: String) async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPie(["automations", "next"] + arguments, cwd: project.path)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
    }
}
