import PieAutomations

/// Work a session runs by itself later: a cron job (`/cron add`, kept in `<session>.cron.toml`) or
/// a trigger (`at`, `every`, `file`, `command`, kept in `<session>.triggers.json`), with the prompt
/// it sends as a user turn of the open session when it fires.
public struct SessionJob: Sendable, Equatable {
    /// Who added it: the user with `/cron add`, or the model's `schedule` tool once the user
    /// confirmed the call (shown by `/cron list` and `/triggers`).
    public enum Origin: String, Sendable, CaseIterable {
        case user, model
    }

    /// `c1`, `c2`, … for cron jobs; `t1`, `t2`, … for triggers: short enough to type.
    public var id: String
    public var trigger: AutomationTrigger
    public var prompt: String
    public var enabled: Bool
    public var origin: Origin
    public var created: Instant
    /// When a one-shot `at` trigger fired (or was found passed on resume: no backfill); nil before.
    public var firedAt: Instant?

    public init(
        id: String, trigger: AutomationTrigger, prompt: String, enabled: Bool = true, origin: Origin, created: Instant,
        firedAt: Instant? = nil
    ) {
        (self.id, self.trigger, self.prompt, self.enabled, self.origin, self.created, self.firedAt) =
            (id, trigger, prompt, enabled, origin, created, firedAt)
    }

    /// Which file holds it.
    public var kind: SessionJobKind { SessionJobKind(of: trigger) }

    /// Whether it fires on file changes or probe results rather than on the clock.
    public var firesOnEvents: Bool {
        switch trigger {
        case .file, .command, .webhook, .mcp: true
        case .cron, .at, .every: false
        }
    }

    /// The trigger as a person reads it: `cron "0 9 * * *"`, `at 2026-12-24T09:00:00+01:00`.
    public var triggerText: String { SessionJobKind.describe(trigger) }
}

/// The two files of a session's jobs: cron jobs in TOML (people edit them), the other triggers in
/// JSON (c4pt0r/pie's `{"version":1,"rules":[…]}`).
public enum SessionJobKind: String, Sendable, CaseIterable {
    case cron, trigger

    public init(of trigger: AutomationTrigger) {
        if case .cron = trigger { self = .cron } else { self = .trigger }
    }

    /// The first letter of its ids.
    public var idPrefix: String { self == .cron ? "c" : "t" }

    static func describe(_ trigger: AutomationTrigger) -> String {
        switch trigger {
        case .cron(let expression, let timezone):
            "cron \"\(expression)\"" + (timezone.map { " (\($0))" } ?? "")
        case .at(_, let text): "at \(text)"
        case .every(let interval): "every \(interval)"
        case .file(let path, let on): "file \(path) \(on.rawValue)"
        case .command(let run, let every, let fire): "command \"\(run)\" every \(every) on \(fire.rawValue)"
        case .webhook(let webhook): "webhook \(webhook.path)"
        case .mcp(let server, let method, _): "mcp \(server) \(method)"
        }
    }
}
