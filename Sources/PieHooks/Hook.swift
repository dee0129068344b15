/// One `[[hook]]` table of a hooks file, validated.
public struct Hook: Sendable, Equatable {
    public var event: HookEvent
    /// Run with `sh -c` inside the session's sandbox.
    public var command: String?
    /// POSTed the JSON payload; `${NAME}` is replaced from pie's environment when the hook runs.
    public var webhook: String?
    /// Sent with the webhook, in file order; values may reference `${NAME}`.
    public var headers: [HookHeader]
    public var timeoutMs: Int
    public var enabled: Bool
    /// A glob (`*`, `?`, `[…]`) on the tool name, for the events that concern one tool call.
    public var tool: String?
    public var onFailure: HookFailurePolicy
    public var directory: HookDirectory
    /// Where the hook was written, for messages and the audit log.
    public var origin: HookOrigin

    public static let defaultTimeoutMs = 5000

    public init(
        event: HookEvent, command: String? = nil, webhook: String? = nil, headers: [HookHeader] = [],
        timeoutMs: Int = Hook.defaultTimeoutMs, enabled: Bool = true, tool: String? = nil,
        onFailure: HookFailurePolicy? = nil, directory: HookDirectory = .project, origin: HookOrigin
    ) {
        self.event = event
        self.command = command
        self.webhook = webhook
        self.headers = headers
        self.timeoutMs = timeoutMs
        self.enabled = enabled
        self.tool = tool
        self.onFailure = onFailure ?? (event.blocks ? .deny : .warn)
        self.directory = directory
        self.origin = origin
    }

    /// Whether this hook runs for `event` on a call of `toolName` (nil: the event has no tool).
    public func applies(to event: HookEvent, toolName: String?) -> Bool {
        guard enabled, self.event == event else { return false }
        guard let tool, event.concernsTool else { return true }
        return ToolNameGlob.matches(tool, toolName ?? "")
    }
}

/// A webhook header as written; the value may reference `${NAME}`.
public struct HookHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Which file, which `[[hook]]` (1-based) and which line a hook comes from.
public struct HookOrigin: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var index: Int
    public var line: Int
    public var scope: HookScope

    public init(file: String, index: Int, line: Int, scope: HookScope) {
        self.file = file
        self.index = index
        self.line = line
        self.scope = scope
    }

    public var description: String { "\(file):\(line) (hook \(index))" }
}

/// Whose file a hook is in: the user's own (`~/.pie/hooks.toml`) needs no trust; the project's
/// (`<project>/.pie/hooks.toml`) runs only once trusted.
public enum HookScope: String, Sendable, Equatable {
    case user, project
}
