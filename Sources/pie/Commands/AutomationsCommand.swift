import ArgumentParser
import Glibc
import PieAutomations

/// `pie automations …`: scheduled and triggered agent runs (docs/automations.md).
struct AutomationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "automations",
        abstract: "Scheduled and triggered agent runs.",
        subcommands: [
            AutomationsList.self, AutomationsShow.self, AutomationsValidate.self, Next.self, AutomationsEnable.self,
            AutomationsDisable.self, AutomationsRemove.self, AutomationsImport.self, AutomationsRun.self,
            AutomationsRuns.self, AutomationsLogs.self, AutomationsApprovals.self, AutomationsApprove.self,
            AutomationsDeny.self, AutomationsServe.self, AutomationsInstallService.self,
        ])

    /// `pie automations next --cron EXPR`: the next fire times of a cron expression.
    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next",
            abstract: "Print the next fire times of a cron expression or of a configured automation.",
            discussion: """
                A local time skipped by a daylight-saving change fires once, when the clock jumps past it; \
                a local time that occurs twice fires once, at its first occurrence.
                """)

        @Argument(help: "An automation's id (instead of --cron): its trigger's times, in its time zone.")
        var id: String?

        @Option(help: "With ID: project or user (default: the project's when both exist).")
        var scope: AutomationScope?

        @Option(name: .customLong("cron"), help: "A 5-field cron expression or @daily, @hourly, ….")
        var cron: String?

        @Option(name: .customLong("timezone"), help: "An IANA time zone such as Europe/Berlin, or 'local' (TZ or /etc/localtime).")
        var timezone: String?

        @Option(name: .customLong("from"), help: "Start after this RFC 3339 time (default: now), e.g. 2026-12-24T09:00:00+01:00.")
        var from: String?

        @Option(name: .customLong("count"), help: "How many fire times (1–\(AutomationsNext.maximumCount)).")
        var count = 5

        @Flag(help: "Print a JSON array of RFC 3339 strings.")
        var json = false

        func run() throws {
            guard (1...AutomationsNext.maximumCount).contains(count) else {
                throw PieExit.usage("--count \(count) is out of range 1–\(AutomationsNext.maximumCount)")
            }
            if let id {
                guard cron == nil, timezone == nil else {
                    throw PieExit.usage("give either an automation ID or --cron [--timezone], not both")
                }
                try AutomationsNext.forAutomation(id: id, scope: scope, from: from, count: count, json: json)
                return
            }
            guard let cron else { throw PieExit.usage("pie automations next needs --cron EXPR or an automation ID") }
            let schedule: CronSchedule
            do { schedule = try CronSchedule.parse(cron) } catch { throw PieExit.usage("--cron: \(error)") }
            let zone: TimeZoneRules
            do { zone = try TimeZoneRules.named(timezone ?? "local", environment: ProcessContext.environment()) } catch {
                throw PieExit.usage("--timezone: \(error)")
            }
            let start = try AutomationsNext.start(from)
            let times = schedule.nextTimes(after: start, count: count, in: zone)
            print(AutomationsNext.render(times: times, zone: zone, json: json), terminator: "")
        }
    }
}

/// The output of `pie automations next`, shared by its `--cron` and ID forms.
enum AutomationsNext {
    static let maximumCount = 1000

    /// `--from`, else now.
    static func start(_ from: String?) throws(PieExit) -> Instant {
        guard let from else { return Instant(secondsSinceEpoch: Int64(time(nil))) }
        do throws(RFC3339Error) {
            return try RFC3339.parse(from)
        } catch {
            throw PieExit.usage("--from: \(error)")
        }
    }

    /// `pie automations next ID`: a cron trigger's matches in its zone, an `at` trigger's time
    /// while ahead, an `every` trigger's intervals counted from now (or `--from`); an event
    /// trigger has none (exit 1).
    static func forAutomation(id: String, scope: AutomationScope?, from: String?, count: Int, json: Bool) throws(PieExit) {
        let (automation, _) = try AutomationPlaces.current().automation(id: id, scope: scope)
        let start = try start(from)
        let environment = ProcessContext.environment()
        do throws(TriggerTimes.Failure) {
            let zone = try TriggerTimes.zone(of: automation.trigger, environment: environment)
            let times = try TriggerTimes.next(automation.trigger, after: start, count: count, zone: zone)
            if !automation.enabled { printError("pie: note: \(automation.id) is disabled; these are the times it would run") }
            print(render(times: times, zone: zone, json: json), terminator: "")
        } catch {
            throw PieExit(code: 1, message: "\(automation.id): \(error)")
        }
    }

    /// One RFC 3339 time per line, or a JSON array of them; each carries the zone's offset.
    static func render(times: [Instant], zone: TimeZoneRules, json: Bool) -> String {
        let texts = times.map { RFC3339.format($0, in: zone) }
        guard json else { return texts.map { $0 + "\n" }.joined() }
        // RFC 3339 text is digits, letters and -:+ only: nothing to escape.
        return "[" + texts.map { "\"\($0)\"" }.joined(separator: ",") + "]\n"
    }
}
