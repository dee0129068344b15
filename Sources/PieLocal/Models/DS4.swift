/// The conventional descriptor for a DS4 server (DeepSeek V4 Flash behind an OpenAI Responses
/// endpoint), registered whenever a DS4 URL is known so `--base-url URL` alone is enough.
public enum DS4 {
    public static let provider = "ds4"
    public static let modelID = "deepseek-v4-flash"

    /// The DS4 URL and what supplied it: `--base-url`, else `DS4_BASE_URL`, else `DS4_URL`.
    public static func baseURL(flag: String?, environment: PieEnvironment) -> (url: String, source: ModelSource)? {
        if let flag = flag?.trimmingSpaces(), !flag.isEmpty { return (flag, .flag("--base-url")) }
        for name in ["DS4_BASE_URL", "DS4_URL"] {
            if let url = environment[name] { return (url, .environment(name)) }
        }
        return nil
    }

    public static func descriptor(baseURL: String, source: ModelSource) -> ModelDescriptor {
        ModelDescriptor(
            id: modelID, name: "DeepSeek V4 Flash (local DS4)", api: .openAIResponses, provider: provider,
            baseURL: baseURL, reasoning: true,
            thinkingLevelMap: [.off: String?.none, .minimal: "low", .low: "low", .medium: "medium", .high: "high", .xhigh: "xhigh"],
            contextWindow: 100_000, maxTokens: 384_000,
            compat: CompatFlags(
                supportsStore: false, supportsDeveloperRole: false, supportsReasoningEffort: true,
                supportsUsageInStreaming: true, maxTokensField: .maxTokens, supportsStrictMode: false,
                requiresReasoningContentOnAssistantMessages: true, thinkingFormat: .deepseek),
            source: source)
    }
}
