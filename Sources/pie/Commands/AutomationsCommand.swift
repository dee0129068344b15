import ArgumentParser
import Glibc
import PieAutomations

/// `pie automations …`: scheduled and triggered agent runs (docs/automations.md).
struct AutomationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "automations",
        abstract: "Scheduled and triggered agent runs.",
        subcommands: [Next.self])

    /// `pie automations next --cron EXPR`: the next fire times of a cron expression.
    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next",
            abstract: "Print the next fire times of a cron expression.",
            discussion: """
                A local time skipped by a daylight-saving change fires once, when the clock jumps past it; \
                a local time that occurs twice fires once, at its first occurrence.
                """)

        @Argument(help: "An automation's id (not available yet: use --cron).")
        var id: String?

        @Option(name: .customLong("cron"), help: "A 5-field cron expression or @daily, @hourly, ….")
        var cron: String?

        @Option(name: .customLong("timezone"), help: "An IANA time zone such as Europe/Berlin, or 'local' (TZ or /etc/localtime).")
        var timezone = "local"

        @Option(name: .customLong("from"), help: "Start after this RFC 3339 time (default: now), e.g. 2026-12-24T09:00:00+01:00.")
        var from: String?

        @Option(name: .customLong("count"), help: "How many fire times (1–\(AutomationsNext.maximumCount)).")
        var count = 5

        @Flag(help: "Print a JSON array of RFC 3339 strings.")
        var json = false

        func run() throws {
            if id != nil {
                throw PieExit.usage("pie automations next ID is not available yet; use --cron EXPR")
            }
            guard let cron else { throw PieExit.usage("pie automations next needs --cron EXPR") }
            guard (1...AutomationsNext.maximumCount).contains(count) else {
                throw PieExit.usage("--count \(count) is out of range 1–\(AutomationsNext.maximumCount)")
            }
            let schedule: CronSchedule
            do { schedule = try CronSchedule.parse(cron) } catch { throw PieExit.usage("--cron: \(error)") }
            let zone: TimeZoneRules
            do { zone = try TimeZoneRules.named(timezone, environment: ProcessContext.environment()) } catch {
                throw PieExit.usage("--timezone: \(error)")
            }
            let start: Instant
            if let from {
                do { start = try RFC3339.parse(from) } catch { throw PieExit.usage("--from: \(error)") }
            } else {
                start = Instant(secondsSinceEpoch: Int64(time(nil)))
            }
            let times = schedule.nextTimes(after: start, count: count, in: zone)
            print(AutomationsNext.render(times: times, zone: zone, json: json), terminator: "")
        }
    }
}

/// The output of `pie automations next`, shared by its `--cron` and ID forms.
enum AutomationsNext {
    static let maximumCount = 1000

    /// One RFC 3339 time per line, or a JSON array of them; each carries the zone's offset.
    static func render(times: [Instant], zone: TimeZoneRules, json: Bool) -> String {
        let texts = times.map { RFC3339.format($0, in: zone) }
        guard json else { return texts.map { $0 + "\n" }.joined() }
        // RFC 3339 text is digits, letters and -:+ only: nothing to escape.
        return "[" + texts.map { "\"\($0)\"" }.joined(separator: ",") + "]\n"
    }
}
