/// The bounds of every sub-agent the `task` tool starts, as plain data (`AgentOptions.tasks`):
/// its own turns and wall time, the size of what it is asked and of what comes back.
public struct TaskLimits: Sendable, Equatable {
    /// Model calls one sub-agent may make.
    public var maxTurns: Int
    /// Wall time one sub-agent may take, from its start to its answer.
    public var timeoutMilliseconds: Int
    /// The largest `prompt` accepted, in UTF-8 bytes: a sub-agent is for a focused question.
    public var maxPromptBytes: Int
    /// The answer handed back to the parent is cut to this many bytes (and never beyond the
    /// policy's `max_tool_output_bytes`); the whole transcript stays in the sub-agent's session.
    public var maxResultBytes: Int

    public init(maxTurns: Int = 12, timeoutMilliseconds: Int = 300_000, maxPromptBytes: Int = 32_768, maxResultBytes: Int = 16_000) {
        self.maxTurns = maxTurns
        self.timeoutMilliseconds = timeoutMilliseconds
        self.maxPromptBytes = maxPromptBytes
        self.maxResultBytes = maxResultBytes
    }

    /// The most a description may hold: a few words a UI shows on one line.
    public static let maxDescriptionCharacters = 120
}
