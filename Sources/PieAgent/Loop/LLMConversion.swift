import PieLocal

/// The default `convertToLlm`: the context as a provider will accept it.
public enum LLMConversion {
    /// The user-message preamble a compaction summary is sent under.
    public static let summaryPreamble =
        "The conversation history before this point was compacted into the following summary:"

    /// Drops aborted and failed replies (kept in the session only), answers every tool call that
    /// has no result with a synthetic `No result provided` error, and drops results whose call was
    /// dropped, since providers reject both kinds of orphan.
    @Sendable public static func convert(_ messages: [AgentMessage]) -> [ChatMessage] {
        var output: [ChatMessage] = []
        var pending: [ToolCall] = []
        var live: Set<String> = []

        func flushPending() {
            for call in pending {
                let missing = ToolResultMessage.missing(for: call)
                output.append(.toolResult(toolCallID: call.id, toolName: call.name, content: missing.content, isError: true))
            }
            pending = []
        }

        for message in messages {
            switch message {
            case .user(let content):
                flushPending()
                output.append(.user(content))
            case .compactionSummary(let summary):
                flushPending()
                output.append(.user("\(summaryPreamble)\n\n<summary>\n\(summary.summary)\n</summary>"))
            case .assistant(let reply):
                flushPending()
                guard reply.isReplayable else { continue }
                output.append(.assistant(reply.content))
                pending = reply.toolCalls
                live.formUnion(pending.map(\.id))
            case .toolResult(let result):
                guard live.contains(result.toolCallID) else { continue }
                live.remove(result.toolCallID)
                pending.removeAll { $0.id == result.toolCallID }
                output.append(
                    .toolResult(
                        toolCallID: result.toolCallID, toolName: result.toolName, content: result.content,
                        isError: result.isError))
            }
        }
        flushPending()
        return output
    }
}
