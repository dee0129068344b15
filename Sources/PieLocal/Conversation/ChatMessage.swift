/// A message in the conversation the agent sends to a model.
public enum ChatMessage: Sendable, Hashable {
    case user([ContentBlock])
    case assistant([ContentBlock])
    /// The output of one tool call, matched to it by `toolCallID`.
    case toolResult(toolCallID: String, toolName: String, content: [ContentBlock], isError: Bool)

    public static func user(_ text: String) -> ChatMessage { .user([.text(text)]) }

    /// Text blocks joined with no separator, as they arrived.
    var plainText: String {
        let blocks: [ContentBlock]
        switch self {
        case .user(let content), .assistant(let content): blocks = content
        case .toolResult(_, _, let content, _): blocks = content
        }
        return blocks.reduce(into: "") { text, block in
            if case .text(let piece) = block { text += piece }
        }
    }
}
