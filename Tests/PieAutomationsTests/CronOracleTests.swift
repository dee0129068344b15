import Foundation
import PieTestSupport
import Testing
@testable import PieAutomations

/// Thousands of random expressions against croniter (PyPI, pinned in scripts/install-deps.sh),
/// in UTC and three zones with daylight saving, from starts just before their changes, five fire
/// times each, all computed by one python3 process (croniter_oracle.py).
///
/// The reference is croniter's wall-clock schedule turned into instants by pie's documented rule
/// using Python's zoneinfo: an independent reading of the same tzdata and an independent cron
/// matcher. croniter's own DST handling differs by design (it fires a repeated time again when the
/// start lies between its occurrences, and drops a skipped time when the hour field is `*`); those
/// answers are compared only where no change of offset is near, and counted.
@Suite struct CronOracleTests {
    static let expressionCount = 3000

    /// Zones and, per zone, starts just before a change (or a year end and a leap day in UTC).
    static let cases: [(zone: String, starts: [String])] = [
        ("UTC", ["2026-12-31T22:00:00Z", "2028-02-28T12:00:00Z"]),
        ("Europe/Berlin", ["2026-03-28T23:00:00+01:00", "2026-10-24T23:30:00+02:00"]),
        ("America/New_York", ["2026-03-07T23:00:00-05:00", "2026-10-31T23:30:00-04:00"]),
        ("Australia/Lord_Howe", ["2026-10-03T23:00:00+10:30", "2026-04-04T23:30:00+11:00"]),
    ]

    @Test("3,000 random expressions: the same next 5 times as croniter under pie's DST rule")
    func agreesWithCroniter() async throws {
        var generator = RandomCronExpression(seed: 12)
        var expressions: [String] = []
        while expressions.count < Self.expressionCount {
            let expression = generator.next()
            if (try? CronSchedule.parse(expression)) != nil { expressions.append(expression) }
        }
        var inputs: [(expression: String, zone: TimeZoneRules, start: Instant)] = []
        for (zoneName, starts) in Self.cases {
            let zone = try Fixture.zone(zoneName)
            for (index, expression) in expressions.enumerated() {
                inputs.append((expression, zone, try Fixture.instant(starts[index % starts.count])))
            }
        }
        let lines = try await Self.runOracle(inputs.map { "\($0.expression)\t\($0.zone.identifier)\t\($0.start.secondsSinceEpoch)" })
        try #require(lines.count == inputs.count, "croniter_oracle.py printed \(lines.count) lines for \(inputs.count) cases")

        var mismatches: [String] = []
        var croniterDifferences = 0
        for (input, line) in zip(inputs, lines) {
            let schedule = try CronSchedule.parse(input.expression)
            let ours = schedule.nextTimes(after: input.start, count: 5, in: input.zone).map(\.secondsSinceEpoch)
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let reference = columns[0].split(separator: " ").compactMap { Int64($0) }
            if columns[0].hasPrefix("error") || ours != reference {
                mismatches.append("'\(input.expression)' in \(input.zone.identifier) after \(RFC3339.format(input.start, in: input.zone)): ours \(Self.render(ours, input.zone)), reference \(columns[0].hasPrefix("error") ? columns[0] : Self.render(reference, input.zone))")
                continue
            }
            let raw = columns[1].split(separator: " ").compactMap { Int64($0) }
            guard raw != ours else { continue }
            croniterDifferences += 1
            // croniter may differ only at a change of offset: the first differing time is near one.
            let firstDifference = zip(raw, ours).first { $0 != $1 }
            let near = firstDifference.map { Self.nearChange(min($0.0, $0.1), in: input.zone) } ?? false
            if !near {
                mismatches.append("croniter's own answer differs away from any DST change: '\(input.expression)' in \(input.zone.identifier): ours \(Self.render(ours, input.zone)), croniter \(Self.render(raw, input.zone))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(inputs.count) cases differ:\n\(mismatches.prefix(20).joined(separator: "\n"))")
        // The DST cases are present, so the rule was exercised (and croniter's differences are few).
        #expect(croniterDifferences > 0 && croniterDifferences < inputs.count / 10)
    }

    /// Whether the zone's offset changes within a day and a bit of `time`.
    static func nearChange(_ time: Int64, in zone: TimeZoneRules) -> Bool {
        zone.offset(at: Instant(secondsSinceEpoch: time - 93_600)) != zone.offset(at: Instant(secondsSinceEpoch: time + 93_600))
    }

    static func render(_ times: [Int64], _ zone: TimeZoneRules) -> String {
        "[" + times.map { RFC3339.format(Instant(secondsSinceEpoch: $0), in: zone) }.joined(separator: ", ") + "]"
    }

    /// Runs croniter_oracle.py once over all cases and returns its output lines.
    static func runOracle(_ lines: [String]) async throws -> [String] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("croniter_oracle.py").path
        let input = lines.joined(separator: "\n") + "\n"
        let result = try await HostProcess.run(["/usr/bin/env", "python3", script], input: Array(input.utf8))
        try #require(
            result.status == 0,
            "python3 croniter_oracle.py failed (croniter missing? run scripts/install-deps.sh): \(result.stderrText)")
        return result.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}
