import PieLocal

/// How a run ended.
public enum AgentRunOutcome: Sendable, Hashable {
    /// The model stopped asking for tools and no follow-up was queued.
    case completed
    /// The run's task was cancelled (Ctrl-C).
    case aborted
    /// `--turn-timeout-ms` elapsed; the run was cancelled.
    case timedOut
    /// `--max-turns` model calls were made and the model still wanted more.
    case maxTurnsReached(Int)
    /// The `shouldStop` hook ended the run.
    case stoppedByHook
    /// The model call failed after the provider's own retries; `message` says why.
    case failed(message: String)

    /// The snake_case name used in JSON output and exit summaries.
    public var name: String {
        switch self {
        case .completed: "completed"
        case .aborted: "aborted"
        case .timedOut: "timed_out"
        case .maxTurnsReached: "max_turns"
        case .stoppedByHook: "stopped"
        case .failed: "failed"
        }
    }
}

/// What a run returns: how it ended and what it added to the context, in order.
public struct AgentRunResult: Sendable {
    public var outcome: AgentRunOutcome
    /// Prompts, replies (including an aborted or failed one), tool results, summaries.
    public var newMessages: [AgentMessage]
    /// The working context at the end, after any compaction: what the next run continues from.
    public var context: [AgentMessage]
    /// Sum of the usage of every reply in the run.
    public var usage: Usage

    public init(outcome: AgentRunOutcome, newMessages: [AgentMessage], context: [AgentMessage], usage: Usage) {
        self.outcome = outcome
        self.newMessages = newMessages
        self.context = context
        self.usage = usage
    }
}
