/// Everything one model call needs apart from the model itself.
public struct ChatRequest: Sendable, Hashable {
    public var systemPrompt: String?
    public var messages: [ChatMessage]
    public var tools: [ToolSpec]
    public var thinking: ThinkingLevel
    /// Output cap; `nil` uses the model's `maxTokens`.
    public var maxTokens: Int?
    /// `false` asks for one JSON response instead of SSE; events are still delivered the same way.
    public var stream: Bool

    public init(
        systemPrompt: String? = nil, messages: [ChatMessage], tools: [ToolSpec] = [],
        thinking: ThinkingLevel = .off, maxTokens: Int? = nil, stream: Bool = true
    ) {
        self.systemPrompt = systemPrompt
        self.messages = messages
        self.tools = tools
        self.thinking = thinking
        self.maxTokens = maxTokens
        self.stream = stream
    }
}
