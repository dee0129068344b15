import PieAgent
import PieAutomations
import PieJSON
import PiePolicy
import PieScheduler

/// The model's way to add session work when the user says "every day at 9, do Y" or "when X
/// appears, do Y". The policy's `schedule_tool` holds every call for a person's confirmation
/// (`ask`) or refuses it (`deny`); there is no allow, so the model never schedules by itself, and
/// `pie -p` and `pie tool` (nobody to ask) deny it. Only interactive pie offers the tool. What it
/// adds goes to the session's `.cron.toml` or `.triggers.json` exactly as `/cron add` would.
public struct ScheduleTool: AgentTool {
    public let store: SessionJobStore
    public let clock: any SchedulerClock

    public init(store: SessionJobStore, clock: any SchedulerClock) {
        (self.store, self.clock) = (store, clock)
    }

    public let name = "schedule"
    public let description =
        "Schedule a prompt to run later in this session, when the user asks for it (\"every weekday at 9 do Y\", "
        + "\"when build.done appears do Y\"). Give exactly one trigger: cron (5 fields or @daily, local time unless "
        + "timezone is set), at (an RFC 3339 time in the future), every (e.g. \"15m\", at least 1m), file (an absolute "
        + "path, with on = created|modified|deleted) or command (a probe run in the sandbox every interval, with fire = "
        + "success|failure|change). The user is asked to confirm each call; it runs only if they do."

    public let schema = ToolSchema([
        .init("prompt", .string, "What to do when it fires: sent as a user message of this session", required: true),
        .init("cron", .string, "A 5-field cron expression (minute hour day-of-month month day-of-week) or a macro such as @daily"),
        .init("timezone", .string, "IANA time zone for cron, e.g. Europe/Berlin (default: local)"),
        .init("at", .string, "Run once at this RFC 3339 time, e.g. 2026-12-24T09:00:00+01:00"),
        .init("every", .string, "Run every interval (e.g. 15m, 1h); with command: how often the probe runs (default 1m)"),
        .init("file", .string, "Run when this file (absolute path or ~/…) changes"),
        .init("on", .string, "With file: created (default), modified or deleted"),
        .init("command", .string, "A shell probe run in the sandbox; runs the prompt when its result matches fire"),
        .init("fire", .string, "With command: success (default; exit 0), failure or change"),
        .init("once", .boolean, "With every, file or command: run only the first time"),
    ])

    public var runsAlone: Bool { true }

    /// Checks the arguments' meaning before anyone is asked: a bad cron, zone or past `at` is an
    /// error for the model to correct.
    public func prepareArguments(_ object: JSONObject) -> Result<JSONObject, ArgumentProblem> {
        guard Self.typesMatch(object) else { return .success(object) }
        do throws(SessionJobError) {
            _ = try ScheduleDraft.parse(object, rules: store.rules, now: clock.now())
            return .success(object)
        } catch {
            return .failure(ArgumentProblem(error.description))
        }
    }

    public func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        do throws(SessionJobError) {
            let draft = try ScheduleDraft.parse(arguments.object, rules: store.rules, now: clock.now())
            return .schedule(what: "scheduling " + draft.summary)
        } catch {
            // Valid a moment ago (`prepareArguments`); an `at` may just have passed. The person is
            // asked with the problem in view, and `execute` checks again.
            return .schedule(what: "scheduling a job whose arguments no longer validate (\(error.message))")
        }
    }

    public func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        try context.checkCancelled()
        do throws(SessionJobError) {
            // Checked again: an `at` may have passed while the question was on the screen.
            let draft = try ScheduleDraft.parse(arguments.object, rules: store.rules, now: clock.now())
            let job = try store.add(draft.trigger, prompt: draft.prompt, origin: .model, fireOnce: draft.fireOnce, now: clock.now())
            let file = store.snapshot.files?.path(of: job.kind) ?? ""
            return .text("Scheduled \(job.id): \(job.triggerText). It runs as a user turn of this session; the user can list and remove it with /cron list and /triggers (kept in \(file)).")
        } catch {
            throw ToolFailure(error.description)
        }
    }

    /// Whether every given value has its schema type (otherwise the schema's message is better).
    static func typesMatch(_ object: JSONObject) -> Bool {
        for (key, value) in object {
            switch key {
            case "once": if value.boolValue == nil { return false }
            default: if value.stringValue == nil { return false }
            }
        }
        return true
    }
}
