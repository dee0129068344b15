import PieAutomations
import PieJSON

/// The `schedule` tool's arguments turned into a job to add: exactly one trigger, every value
/// checked as `/cron add` and the files check it, so the model gets an error it can act on before
/// anyone is asked to confirm.
public struct ScheduleDraft: Sendable, Equatable {
    public var trigger: AutomationTrigger
    public var prompt: String
    public var fireOnce: Bool

    static let triggerKeys = ["cron", "at", "every", "file", "command"]

    /// Values of the wrong JSON type are left to the schema, which names them.
    public static func parse(_ object: JSONObject, rules: SessionJobRules, now: Instant) throws(SessionJobError) -> ScheduleDraft {
        func text(_ key: String) -> String? { object[key]?.stringValue }
        var given = triggerKeys.filter { object[$0] != nil }
        // `every` with `command` is the probe's interval, not a trigger of its own.
        if given.contains("command") { given.removeAll { $0 == "every" } }
        guard given.count == 1, let kind = given.first else {
            throw SessionJobError(
                given.isEmpty ? "no trigger given" : "more than one trigger given (\(given.joined(separator: ", ")))",
                fix: "give exactly one of cron, at, every, file or command (with command, every is how often it runs)")
        }
        for (key, owner) in [("timezone", "cron"), ("on", "file"), ("fire", "command")] where object[key] != nil && kind != owner {
            throw SessionJobError("\(key) applies only to a \(owner) trigger", fix: "remove \(key), or use \(owner)")
        }
        let prompt = try rules.prompt(text("prompt") ?? "")
        let once = object["once"]?.boolValue ?? false
        switch kind {
        case "cron":
            let (trigger, _, _) = try rules.cron(text("cron") ?? "", timezone: text("timezone"))
            if once { throw SessionJobError("once does not apply to cron", fix: "use at for a single run") }
            return ScheduleDraft(trigger: trigger, prompt: prompt, fireOnce: false)
        case "at":
            return ScheduleDraft(trigger: try rules.at(text("at") ?? "", now: now), prompt: prompt, fireOnce: true)
        case "every":
            return ScheduleDraft(trigger: .every(try rules.interval(text("every") ?? "", field: "every")), prompt: prompt, fireOnce: once)
        case "file":
            let onText = text("on") ?? "created"
            guard let on = AutomationTrigger.FileEvent(rawValue: onText) else {
                throw SessionJobError("on \"\(onText)\" is not created, modified or deleted", fix: "use one of those three")
            }
            return ScheduleDraft(trigger: .file(path: try rules.filePath(text("file") ?? ""), on: on), prompt: prompt, fireOnce: once)
        default:
            let fireText = text("fire") ?? "success"
            guard let fire = AutomationTrigger.ProbeFire(rawValue: fireText) else {
                throw SessionJobError("fire \"\(fireText)\" is not success, failure or change", fix: "use one of those three")
            }
            let every = try rules.interval(text("every") ?? "1m", field: "every")
            return ScheduleDraft(
                trigger: .command(run: try rules.command(text("command") ?? ""), every: every, fire: fire), prompt: prompt,
                fireOnce: once)
        }
    }

    /// What the person confirming reads, and the policy request's text.
    public var summary: String {
        SessionJobKind.describe(trigger) + (fireOnce && !isAt ? " (once)" : "") + ": prompt " + Self.quote(prompt)
    }

    private var isAt: Bool {
        if case .at = trigger { true } else { false }
    }

    static func quote(_ text: String) -> String {
        let short = text.count > 200 ? String(text.prefix(200)) + "…" : text
        return JSONWriter.string(.string(short))
    }
}
