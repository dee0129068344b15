/// The effective policy for one run: every limit and rule a tool call is judged against.
///
/// Built by `PolicyBuilder` from defaults, a preset, profiles, the environment and flags; each field's
/// origin is kept beside it in `PolicyProvenance` so `--print-tool-policy` can say where it came from.
public struct ToolPolicy: Sendable, Equatable {
    public var preset: PolicyPreset
    public var paths: PathPolicy
    public var maxFileReadBytes: Int
    public var maxFileWriteBytes: Int
    public var maxToolOutputBytes: Int
    public var bashTimeoutMs: Int
    public var maxCommandLength: Int
    public var bashProfile: BashProfileName
    /// Extra allowlist entries from `--allow-command`; a trailing `*` is a prefix wildcard.
    public var allowCommands: [String]
    public var bashDryRun: Bool
    public var trace: Bool
    public var sandboxMode: SandboxMode
    /// A launcher template with `{cwd}`, `{shell}` and `{command}` placeholders, or nil.
    public var sandboxCommand: String?
    /// Whether sandboxed commands may use the network (off in every preset).
    public var sandboxNetwork: Bool
    public var enforceRegularFiles: Bool
    /// Where tool decisions are audited; nil means the default `~/.pie/audit/<date>.jsonl`.
    public var auditLog: String?
    /// Calls that run only when a person approves them (`ask_commands`, `ask_paths`).
    public var ask: AskRules
    /// Which MCP tools may run (`[mcp]`); without the section every MCP tool is denied.
    public var mcp: MCPToolRules
    /// Whether the model may ask to schedule session work (`schedule_tool`): never without a
    /// person's confirmation.
    public var scheduleTool: ScheduleToolRule
    /// Whether the model may delegate to a sub-agent (`task_tool`); the sub-agent runs under this
    /// same policy whatever the answer.
    public var taskTool: Decision.Verdict
    /// The model sub-agents answer from (`task_model`, `provider:id`); nil: the parent's own model
    /// and fallbacks. Resolved against the model registry when the agent is built.
    public var taskModel: String?
    /// The models sub-agents fall back to, in order (`task_fallback_models`); only with `taskModel`.
    public var taskFallbackModels: [String]
    /// Whether the model may save and delete memories (`memory_tool`): allow, ask or deny.
    public var memoryTool: MemoryToolRule

    public init(
        preset: PolicyPreset, paths: PathPolicy, maxFileReadBytes: Int, maxFileWriteBytes: Int,
        maxToolOutputBytes: Int, bashTimeoutMs: Int, maxCommandLength: Int, bashProfile: BashProfileName,
        allowCommands: [String], bashDryRun: Bool, trace: Bool, sandboxMode: SandboxMode,
        sandboxCommand: String?, sandboxNetwork: Bool, enforceRegularFiles: Bool, auditLog: String?,
        ask: AskRules = .none, mcp: MCPToolRules = .denyAll, scheduleTool: ScheduleToolRule = .deny,
        taskTool: Decision.Verdict = .deny, taskModel: String? = nil, taskFallbackModels: [String] = [],
        memoryTool: MemoryToolRule = .deny
    ) {
        self.preset = preset
        self.paths = paths
        self.maxFileReadBytes = maxFileReadBytes
        self.maxFileWriteBytes = maxFileWriteBytes
        self.maxToolOutputBytes = maxToolOutputBytes
        self.bashTimeoutMs = bashTimeoutMs
        self.maxCommandLength = maxCommandLength
        self.bashProfile = bashProfile
        self.allowCommands = allowCommands
        self.bashDryRun = bashDryRun
        self.trace = trace
        self.sandboxMode = sandboxMode
        self.sandboxCommand = sandboxCommand
        self.sandboxNetwork = sandboxNetwork
        self.enforceRegularFiles = enforceRegularFiles
        self.auditLog = auditLog
        self.ask = ask
        self.mcp = mcp
        self.scheduleTool = scheduleTool
        self.taskTool = taskTool
        self.taskModel = taskModel
        self.taskFallbackModels = taskFallbackModels
        self.memoryTool = memoryTool
    }
}

public enum PolicyPreset: String, Sendable, CaseIterable, Codable {
    case permissive, balanced, strict, hardened
}

public enum BashProfileName: String, Sendable, CaseIterable, Codable {
    case permissive, balanced, strict
}

/// How the shell tool is contained: `off` runs on the host, `auto` uses bubblewrap when it works
/// (and says so loudly when it does not), `force` refuses to run without it.
public enum SandboxMode: String, Sendable, CaseIterable, Codable {
    case off, auto, force
}
