/// How an OpenAI-compatible server deviates from OpenAI, using pi's flag names.
///
/// Every field is optional: an unset flag is auto-detected from the base URL and provider by
/// `resolved(baseURL:provider:)`. Loopback servers (llama.cpp, vLLM, Ollama, LM Studio, DS4) get
/// what they accept: a `system` role, `max_tokens`, no `store`, no `strict`.
public struct CompatFlags: Sendable, Hashable {
    public var supportsStore: Bool?
    public var supportsDeveloperRole: Bool?
    public var supportsReasoningEffort: Bool?
    public var supportsUsageInStreaming: Bool?
    public var maxTokensField: MaxTokensField?
    public var supportsStrictMode: Bool?
    public var requiresToolResultName: Bool?
    public var requiresAssistantAfterToolResult: Bool?
    public var requiresThinkingAsText: Bool?
    public var requiresReasoningContentOnAssistantMessages: Bool?
    public var thinkingFormat: ThinkingFormat?

    public enum MaxTokensField: String, Sendable, Hashable {
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
    }

    /// Which request field switches reasoning on and sets its effort.
    public enum ThinkingFormat: String, Sendable, Hashable, CaseIterable {
        case openai, openrouter, deepseek, together, zai, qwen
        case qwenChatTemplate = "qwen-chat-template"
    }

    public init(
        supportsStore: Bool? = nil, supportsDeveloperRole: Bool? = nil, supportsReasoningEffort: Bool? = nil,
        supportsUsageInStreaming: Bool? = nil, maxTokensField: MaxTokensField? = nil,
        supportsStrictMode: Bool? = nil, requiresToolResultName: Bool? = nil,
        requiresAssistantAfterToolResult: Bool? = nil, requiresThinkingAsText: Bool? = nil,
        requiresReasoningContentOnAssistantMessages: Bool? = nil, thinkingFormat: ThinkingFormat? = nil
    ) {
        self.supportsStore = supportsStore
        self.supportsDeveloperRole = supportsDeveloperRole
        self.supportsReasoningEffort = supportsReasoningEffort
        self.supportsUsageInStreaming = supportsUsageInStreaming
        self.maxTokensField = maxTokensField
        self.supportsStrictMode = supportsStrictMode
        self.requiresToolResultName = requiresToolResultName
        self.requiresAssistantAfterToolResult = requiresAssistantAfterToolResult
        self.requiresThinkingAsText = requiresThinkingAsText
        self.requiresReasoningContentOnAssistantMessages = requiresReasoningContentOnAssistantMessages
        self.thinkingFormat = thinkingFormat
    }

    /// Fields set in `override` win over this value's (used when a model refines its provider).
    public func merged(with override: CompatFlags) -> CompatFlags {
        CompatFlags(
            supportsStore: override.supportsStore ?? supportsStore,
            supportsDeveloperRole: override.supportsDeveloperRole ?? supportsDeveloperRole,
            supportsReasoningEffort: override.supportsReasoningEffort ?? supportsReasoningEffort,
            supportsUsageInStreaming: override.supportsUsageInStreaming ?? supportsUsageInStreaming,
            maxTokensField: override.maxTokensField ?? maxTokensField,
            supportsStrictMode: override.supportsStrictMode ?? supportsStrictMode,
            requiresToolResultName: override.requiresToolResultName ?? requiresToolResultName,
            requiresAssistantAfterToolResult: override.requiresAssistantAfterToolResult
                ?? requiresAssistantAfterToolResult,
            requiresThinkingAsText: override.requiresThinkingAsText ?? requiresThinkingAsText,
            requiresReasoningContentOnAssistantMessages: override.requiresReasoningContentOnAssistantMessages
                ?? requiresReasoningContentOnAssistantMessages,
            thinkingFormat: override.thinkingFormat ?? thinkingFormat)
    }

    /// Fills every unset flag from what the host is known to accept.
    public func resolved(baseURL: String, provider: String) -> ResolvedCompat {
        let host = BaseURL.host(of: baseURL)
        let loopback = BaseURL.isLoopback(host)
        let nonStandard = ["api.x.ai", "deepseek.com", "api.z.ai", "cerebras", "chutes.ai", "groq.com", "mistral.ai"]
            .contains { host.contains($0) } || ["xai", "zai", "deepseek", "groq", "mistral"].contains(provider)
        let openRouter = host.contains("openrouter.ai") || provider == "openrouter"
        let zai = host.contains("api.z.ai") || provider == "zai"
        let deepseek = host.contains("deepseek.com") || provider == "deepseek"
        let defaultFormat: ThinkingFormat = zai ? .zai : openRouter ? .openrouter : deepseek ? .deepseek : .openai
        return ResolvedCompat(
            supportsStore: supportsStore ?? !(loopback || nonStandard),
            supportsDeveloperRole: supportsDeveloperRole ?? !(loopback || nonStandard),
            supportsReasoningEffort: supportsReasoningEffort ?? !(provider == "xai" || zai),
            supportsUsageInStreaming: supportsUsageInStreaming ?? true,
            maxTokensField: maxTokensField ?? (loopback || nonStandard ? .maxTokens : .maxCompletionTokens),
            supportsStrictMode: supportsStrictMode ?? !loopback,
            requiresToolResultName: requiresToolResultName ?? false,
            requiresAssistantAfterToolResult: requiresAssistantAfterToolResult ?? false,
            requiresThinkingAsText: requiresThinkingAsText ?? false,
            requiresReasoningContentOnAssistantMessages: requiresReasoningContentOnAssistantMessages ?? deepseek,
            thinkingFormat: thinkingFormat ?? defaultFormat)
    }
}

/// Compat flags with every value decided; what the adapters read.
public struct ResolvedCompat: Sendable, Hashable {
    public var supportsStore: Bool
    public var supportsDeveloperRole: Bool
    public var supportsReasoningEffort: Bool
    public var supportsUsageInStreaming: Bool
    public var maxTokensField: CompatFlags.MaxTokensField
    public var supportsStrictMode: Bool
    public var requiresToolResultName: Bool
    public var requiresAssistantAfterToolResult: Bool
    public var requiresThinkingAsText: Bool
    public var requiresReasoningContentOnAssistantMessages: Bool
    public var thinkingFormat: CompatFlags.ThinkingFormat
}
