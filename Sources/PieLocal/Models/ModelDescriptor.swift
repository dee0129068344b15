/// The wire protocols pie speaks.
public enum WireAPI: String, Sendable, Hashable, CaseIterable {
    case openAICompletions = "openai-completions"
    case openAIResponses = "openai-responses"
    case anthropicMessages = "anthropic-messages"
    case googleGenerativeAI = "google-generative-ai"
}

/// Everything pie knows about one model: where it lives, how to talk to it, what it costs.
public struct ModelDescriptor: Sendable, Hashable {
    public var id: String
    public var name: String
    public var api: WireAPI
    public var provider: String
    public var baseURL: String
    public var reasoning: Bool
    /// Provider-specific names for thinking levels; a `nil` value marks a level unsupported.
    public var thinkingLevelMap: [ThinkingLevel: String?]
    /// `"text"` and/or `"image"`.
    public var input: [String]
    public var cost: ModelPricing
    public var contextWindow: Int
    public var maxTokens: Int
    public var headers: [String: String]
    public var compat: CompatFlags
    public var source: ModelSource

    public static let defaultContextWindow = 128_000
    public static let defaultMaxTokens = 16_384

    public init(
        id: String, name: String? = nil, api: WireAPI, provider: String, baseURL: String,
        reasoning: Bool = false, thinkingLevelMap: [ThinkingLevel: String?] = [:], input: [String] = ["text"],
        cost: ModelPricing = .free, contextWindow: Int = ModelDescriptor.defaultContextWindow,
        maxTokens: Int = ModelDescriptor.defaultMaxTokens, headers: [String: String] = [:],
        compat: CompatFlags = CompatFlags(), source: ModelSource = .builtin
    ) {
        self.id = id
        self.name = name ?? id
        self.api = api
        self.provider = provider
        self.baseURL = baseURL
        self.reasoning = reasoning
        self.thinkingLevelMap = thinkingLevelMap
        self.input = input
        self.cost = cost
        self.contextWindow = contextWindow
        self.maxTokens = maxTokens
        self.headers = headers
        self.compat = compat
        self.source = source
    }

    /// `provider:id`, the form `--model` and `--fallback-model` accept.
    public var qualifiedID: String { "\(provider):\(id)" }

    /// Levels the user may select: `off` only for non-reasoning models, otherwise every level
    /// not mapped to `null`.
    public var supportedThinkingLevels: [ThinkingLevel] {
        guard reasoning else { return [.off] }
        return ThinkingLevel.allCases.filter { level in
            guard let mapped = thinkingLevelMap[level] else { return true }
            return mapped != nil
        }
    }

    public var resolvedCompat: ResolvedCompat { compat.resolved(baseURL: baseURL, provider: provider) }

    /// Local servers ignore the key, so none is required for them.
    public var isLocal: Bool { BaseURL.isLoopback(BaseURL.host(of: baseURL)) }

    public var acceptsImages: Bool { input.contains("image") }
}
