import PieAutomations

/// What a session job may be, checked alike for `/cron add`, the `schedule` tool and the files read
/// on `--resume`: a valid cron expression and zone, an `at` in the future, intervals of a minute or
/// more, absolute file paths, and a prompt that is neither blank nor huge. Each failure names the
/// value and what to write instead.
public struct SessionJobRules: Sendable {
    /// A prompt is a user turn: 8 KiB is plenty, more is a mistake (or a payload).
    public static let maximumPromptBytes = 8_192
    /// Shorter intervals would keep the session busy with its own turns.
    public static let shortestInterval: Int64 = 60

    /// For `TZ`, the zone directory and `~`.
    public var environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// A cron trigger from its text: the expression parsed (the field and bad value named on
    /// failure) and the zone read (nil: the local zone).
    public func cron(_ expression: String, timezone: String?) throws(SessionJobError) -> (AutomationTrigger, CronSchedule, TimeZoneRules) {
        let schedule: CronSchedule
        do throws(CronError) {
            schedule = try CronSchedule.parse(expression)
        } catch {
            throw SessionJobError(
                "cron \"\(expression)\": \(error.description)",
                fix: "write five fields (minute hour day-of-month month day-of-week), e.g. \"0 9 * * 1-5\", or a macro such as @daily")
        }
        let zone: TimeZoneRules
        do throws(TimeZoneError) {
            if let timezone {
                zone = try TimeZoneRules.named(timezone, environment: environment)
            } else {
                zone = try TimeZoneRules.local(environment: environment)
            }
        } catch {
            throw SessionJobError(
                "timezone: \(error.description)", fix: "use an IANA zone name such as \"Europe/Berlin\", or leave it out for the local zone")
        }
        return (.cron(expression: expression, timezone: timezone), schedule, zone)
    }

    /// An `at` trigger from RFC 3339 text, which must lie after `now`.
    public func at(_ text: String, now: Instant) throws(SessionJobError) -> AutomationTrigger {
        let instant: Instant
        do throws(RFC3339Error) {
            instant = try RFC3339.parse(text)
        } catch {
            throw SessionJobError(
                "at: \(error.description)", fix: "write an RFC 3339 time with its offset, e.g. \"2026-12-24T09:00:00+01:00\"")
        }
        try future(instant, text: text, now: now)
        return .at(instant, text: text)
    }

    public func future(_ instant: Instant, text: String, now: Instant) throws(SessionJobError) {
        guard instant > now else {
            throw SessionJobError(
                "at \"\(text)\" is in the past (it is now \(RFC3339.format(now, in: .utc)))",
                fix: "give a time after now, with its UTC offset")
        }
    }

    /// An interval of a minute or more (`every`, a probe's `every`).
    public func interval(_ text: String, field: String) throws(SessionJobError) -> AutomationDuration {
        guard let duration = AutomationDuration(parsing: text) else {
            throw SessionJobError("\(field) \"\(text)\" is not a duration", fix: AutomationDuration.rule)
        }
        try interval(duration, field: field)
        return duration
    }

    public func interval(_ duration: AutomationDuration, field: String) throws(SessionJobError) {
        guard duration.seconds >= Self.shortestInterval else {
            throw SessionJobError("\(field) \"\(duration)\" is shorter than a minute", fix: "use 1m or more")
        }
    }

    /// A file trigger's path: absolute, or `~/…` expanded with `HOME`.
    public func filePath(_ text: String) throws(SessionJobError) -> String {
        if text.hasPrefix("/") { return text }
        if text.hasPrefix("~/"), let home = environment["HOME"], home.hasPrefix("/") {
            return (home.hasSuffix("/") ? String(home.dropLast()) : home) + text.dropFirst(1)
        }
        throw SessionJobError("file \"\(text)\" is not an absolute path", fix: "write an absolute path or one starting with ~/")
    }

    /// A probe's command: one non-blank line.
    public func command(_ text: String) throws(SessionJobError) -> String {
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw SessionJobError("command is empty", fix: "write the shell command the probe runs, e.g. \"test -f build.done\"")
        }
        return text
    }

    public func prompt(_ text: String) throws(SessionJobError) -> String {
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw SessionJobError("prompt is empty", fix: "write what the session should do when the job fires")
        }
        guard text.utf8.count <= Self.maximumPromptBytes else {
            throw SessionJobError(
                "prompt is \(text.utf8.count) bytes long; at most \(Self.maximumPromptBytes)", fix: "shorten it")
        }
        return text
    }

    /// A trigger checked as when it was added, except that an `at` may have passed (that is
    /// for the runner, not an error).
    public func check(_ trigger: AutomationTrigger) throws(SessionJobError) {
        switch trigger {
        case .cron(let expression, let timezone): _ = try cron(expression, timezone: timezone)
        case .at(let instant, let text):
            // The text is what the file keeps; it must read back as the same time.
            let read: Instant
            do throws(RFC3339Error) {
                read = try RFC3339.parse(text)
            } catch {
                throw SessionJobError("at: \(error.description)", fix: "write an RFC 3339 time with its offset")
            }
            guard read == instant else {
                throw SessionJobError("at \"\(text)\" does not name the time it was given", fix: "write the time once, as RFC 3339")
            }
        case .every(let interval): try self.interval(interval, field: "every")
        case .file(let path, _): _ = try filePath(path)
        case .command(let run, let every, _):
            _ = try command(run)
            try interval(every, field: "every")
        case .webhook, .mcp:
            throw SessionJobError(
                "a \(trigger.kind) trigger cannot belong to a session", fix: "use an automation file and `pie automations serve`")
        }
    }
}
