import PieLocal

/// A message in the agent's working context. Richer than PieLocal's `ChatMessage`: assistant
/// messages keep their stop reason and usage (so aborted or failed replies can stay in the
/// session yet be dropped from the next request), tool results keep structured `details`, and a
/// compaction summary stands in for the messages it replaced.
public enum AgentMessage: Sendable, Hashable {
    case user([ContentBlock])
    case assistant(AssistantMessage)
    case toolResult(ToolResultMessage)
    case compactionSummary(CompactionSummary)

    public static func user(_ text: String) -> AgentMessage { .user([.text(text)]) }

    /// The assistant message, when this is one.
    public var assistant: AssistantMessage? {
        if case .assistant(let message) = self { return message }
        return nil
    }

    /// The tool result, when this is one.
    public var toolResult: ToolResultMessage? {
        if case .toolResult(let message) = self { return message }
        return nil
    }
}
