import PieLocal

/// What the loop reports, named after pi's agent events so `--mode json` consumers written for pi
/// read pie's stream. `jsonLine` renders one event as a line of JSON (schema in docs/agent-loop.md).
public enum AgentEvent: Sendable {
    case agentStart
    case agentEnd(outcome: AgentRunOutcome, messages: [AgentMessage])
    case turnStart(turn: Int)
    case turnEnd(turn: Int, message: AssistantMessage, toolResults: [ToolResultMessage])
    case messageStart(AgentMessage)
    /// A stream event changed the assistant reply; `message` is the reply so far.
    case messageUpdate(message: AssistantMessage, event: StreamEvent)
    case messageEnd(AgentMessage)
    case toolExecutionStart(call: ToolCall)
    case toolExecutionUpdate(call: ToolCall, partial: ToolResult)
    /// Emitted as each call finishes (completion order); result messages follow in source order.
    case toolExecutionEnd(call: ToolCall, result: ToolResult)
    case compactionStart(reason: ContextTransformReason)
    /// `summary` is `nil` when there was nothing to compact.
    case compactionEnd(reason: ContextTransformReason, summary: CompactionSummary?)

    /// The pi event name, also the `type` field of `jsonLine`.
    public var name: String {
        switch self {
        case .agentStart: "agent_start"
        case .agentEnd: "agent_end"
        case .turnStart: "turn_start"
        case .turnEnd: "turn_end"
        case .messageStart: "message_start"
        case .messageUpdate: "message_update"
        case .messageEnd: "message_end"
        case .toolExecutionStart: "tool_execution_start"
        case .toolExecutionUpdate: "tool_execution_update"
        case .toolExecutionEnd: "tool_execution_end"
        case .compactionStart: "compaction_start"
        case .compactionEnd: "compaction_end"
        }
    }
}
