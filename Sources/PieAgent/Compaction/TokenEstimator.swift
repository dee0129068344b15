import PieLocal
import PieJSON

/// A cheap token estimate: four characters per token, rounded up; an image counts as 768 tokens.
/// Good enough to decide when to compact, and the same rule pi uses.
public enum TokenEstimator {
    public static let charactersPerToken = 4
    public static let imageTokens = 768

    public static func tokens(in text: String) -> Int {
        (text.count + charactersPerToken - 1) / charactersPerToken
    }

    public static func tokens(in message: AgentMessage) -> Int {
        switch message {
        case .user(let content): tokens(in: content)
        case .assistant(let reply): tokens(in: reply.content)
        case .toolResult(let result): tokens(in: result.content) + tokens(in: result.toolName)
        case .compactionSummary(let summary): tokens(in: summary.summary)
        }
    }

    public static func tokens(in content: [ContentBlock]) -> Int {
        content.reduce(0) { total, block in
            switch block {
            case .text(let text), .thinking(let text, _): total + tokens(in: text)
            case .image: total + imageTokens
            case .toolCall(let call): total + tokens(in: call.name + JSONWriter.string(call.arguments, keys: .sorted))
            }
        }
    }

    /// The context size: the usage the newest replayable reply reported (it counts everything up
    /// to it, system prompt included) plus an estimate of the messages after it. Usage from before
    /// the latest compaction is ignored, since it counted messages that are gone.
    public static func contextTokens(_ messages: [AgentMessage], systemPrompt: String? = nil) -> Int {
        let start = (messages.lastIndex { if case .compactionSummary = $0 { true } else { false } }) ?? messages.startIndex
        let anchor = messages[start...].lastIndex { message in
            guard let reply = message.assistant else { return false }
            return reply.isReplayable && (reply.usage?.totalTokens ?? 0) > 0
        }
        guard let anchor, let usage = messages[anchor].assistant?.usage else {
            return messages[start...].reduce(tokens(in: systemPrompt ?? "")) { $0 + tokens(in: $1) }
        }
        return messages[(anchor + 1)...].reduce(usage.totalTokens) { $0 + tokens(in: $1) }
    }
}
