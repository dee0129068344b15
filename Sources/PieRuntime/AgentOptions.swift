import PieHooks
import PieLocal

/// Everything that decides what agent `AgentBuilder` assembles, as plain data: the CLI fills it
/// from flags and a scheduler can fill it from a TOML file. Paths may be relative to `cwd`.
///
/// What is not data (the event sink, extra hooks, the process environment and the process-wide
/// services) is passed to the builder alongside.
public struct AgentOptions: Sendable, Equatable {
    /// The project directory the agent works in (absolute).
    public var cwd: String
    public var model: ModelSelection
    public var policy: PolicySelection
    public var session: SessionSelection
    /// A file whose text replaces pie's default system prompt.
    public var systemPromptFile: String?
    /// Where the bash tool spills full output; nil is `<project>/.pie/spill`, which the model can
    /// read and tools cannot write.
    public var spillDirectory: String?
    public var thinking: ThinkingLevel
    /// At most this many model calls per prompt; nil is unlimited.
    public var maxTurns: Int?
    /// Bounds a whole prompt (every turn and tool); nil or 0 is unbounded.
    public var turnTimeoutMilliseconds: Int?
    /// Prefixed to the session id in every audit record of the run (`automation:<id>:run:<n>`
    /// gives `automation:<id>:run:<n>:session:<session id>`), so an unattended run's tool calls
    /// can be found by automation and run; nil: the session id alone.
    public var auditTag: String?
    /// What a project `.pie/hooks.toml` that is not trusted does: skipped with a warning
    /// (someone is there to read it), or the run fails (automations).
    public var untrustedProjectHooks: UntrustedHooks
    /// The bounds of the sub-agents the `task` tool starts; nil: the agent has no `task` tool.
    public var tasks: TaskLimits?

    public init(
        cwd: String, model: ModelSelection = ModelSelection(), policy: PolicySelection = PolicySelection(),
        session: SessionSelection = .new, systemPromptFile: String? = nil, spillDirectory: String? = nil,
        thinking: ThinkingLevel = .off, maxTurns: Int? = nil, turnTimeoutMilliseconds: Int? = nil,
        auditTag: String? = nil, untrustedProjectHooks: UntrustedHooks = .skip, tasks: TaskLimits? = nil
    ) {
        self.cwd = cwd
        self.model = model
        self.policy = policy
        self.session = session
        self.systemPromptFile = systemPromptFile
        self.spillDirectory = spillDirectory
        self.thinking = thinking
        self.maxTurns = maxTurns
        self.turnTimeoutMilliseconds = turnTimeoutMilliseconds
        self.auditTag = auditTag
        self.untrustedProjectHooks = untrustedProjectHooks
        self.tasks = tasks
    }
}
