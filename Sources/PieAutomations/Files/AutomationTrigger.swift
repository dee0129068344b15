/// What starts an automation's run: exactly one per file (`[trigger]`).
public enum AutomationTrigger: Sendable, Equatable {
    /// A 5-field cron expression in an IANA zone (nil: the local zone).
    case cron(expression: String, timezone: String?)
    /// Once, at an instant written in RFC 3339 (`text` as the file wrote it).
    case at(Instant, text: String)
    /// Every interval, counted from when the scheduler starts.
    case every(AutomationDuration)
    /// A file created, modified or deleted (inotify).
    case file(path: String, on: FileEvent)
    /// A command probe run in the sandbox every interval.
    case command(run: String, every: AutomationDuration, fire: ProbeFire)
    /// A signed HTTP delivery to `pie automations serve`.
    case webhook(Webhook)
    /// An MCP server's notification: `method` (`notifications/…`), and for
    /// `notifications/resources/updated` the resource `uri` pie subscribes to, when given.
    case mcp(server: String, method: String, uri: String? = nil)

    public enum FileEvent: String, Sendable, CaseIterable {
        case created, modified, deleted
    }

    /// When a command probe starts a run: exit 0, non-zero exit, or a change of its outcome.
    public enum ProbeFire: String, Sendable, CaseIterable {
        case success, failure, change
    }

    public struct Webhook: Sendable, Equatable {
        public var path: String
        /// The environment variable holding the shared secret; the secret itself never is in a file.
        public var secretEnv: String
        public var signature: Signature
        public var debounce: AutomationDuration?
    }

    public enum Signature: String, Sendable, CaseIterable {
        case githubSHA256 = "github-sha256"
        case slackV0 = "slack-v0"
        case hmacSHA256 = "hmac-sha256"
    }

    /// The trigger's key in `[trigger]`.
    public var kind: String {
        switch self {
        case .cron: "cron"
        case .at: "at"
        case .every: "every"
        case .file: "file"
        case .command: "command"
        case .webhook: "webhook"
        case .mcp: "mcp"
        }
    }

    /// Every trigger kind, in the order docs/automations.md lists them.
    public static let kinds = ["cron", "at", "every", "file", "command", "webhook", "mcp"]
}
