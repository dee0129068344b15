import PieLocal
import PieJSON

/// Renders messages as plain text for the summariser, one labelled block per message, so the
/// summariser reads a transcript instead of continuing a conversation.
public enum ConversationSerializer {
    /// Tool output beyond this many characters is cut; summaries need the gist, not the bytes.
    public static let toolResultLimit = 2_000

    /// One block per message; aborted and failed replies are skipped.
    public static func blocks(_ messages: [AgentMessage]) -> [String] {
        messages.compactMap(block)
    }

    static func block(_ message: AgentMessage) -> String? {
        switch message {
        case .user(let content):
            return "[User]: " + text(of: content)
        case .compactionSummary(let summary):
            return "[Earlier summary]: " + summary.summary
        case .toolResult(let result):
            return "[Tool result]: " + truncate(text(of: result.content))
        case .assistant(let reply):
            guard reply.isReplayable else { return nil }
            var parts: [String] = []
            let thinking = reply.content.compactMap { block -> String? in
                if case .thinking(let text, _) = block { return text }
                return nil
            }.joined()
            if !thinking.isEmpty { parts.append("[Assistant thinking]: " + thinking) }
            if !reply.text.isEmpty { parts.append("[Assistant]: " + reply.text) }
            let calls = reply.toolCalls.map { "\($0.name)(\(JSONWriter.string($0.arguments, keys: .sorted)))" }
            if !calls.isEmpty { parts.append("[Assistant tool calls]: " + calls.joined(separator: "; ")) }
            return parts.isEmpty ? nil : parts.joined(separator: "\n")
        }
    }

    private static func text(of content: [ContentBlock]) -> String {
        content.map { block in
            switch block {
            case .text(let text): text
            case .thinking(let text, _): text
            case .image(_, let mimeType): "[image \(mimeType)]"
            case .toolCall(let call): "\(call.name)(\(JSONWriter.string(call.arguments, keys: .sorted)))"
            }
        }.joined()
    }

    static func truncate(_ text: String) -> String {
        guard text.count > toolResultLimit else { return text }
        let rest = text.count - toolResultLimit
        return String(text.prefix(toolResultLimit)) + "\n[... \(rest) more characters truncated]"
    }
}
