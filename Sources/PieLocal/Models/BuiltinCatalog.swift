/// The models pie knows without any configuration: a few per hosted provider and one preset per
/// local server (whose model id is a placeholder; `--model` names the loaded one).
public enum BuiltinCatalog {
    public static let models: [ModelDescriptor] = hosted + local

    /// Each provider's model when only the provider (or its key) is known.
    public static let defaultModels: [String: String] = [
        "anthropic": "claude-haiku-4-5", "openai": "gpt-4o-mini", "ds4": DS4.modelID,
        "openrouter": "openai/gpt-4o-mini", "groq": "llama-3.3-70b-versatile", "mistral": "mistral-large-latest",
        "google": "gemini-2.0-flash", "xai": "grok-3-mini", "deepseek": "deepseek-chat",
        "ollama": "qwen3-coder", "llamacpp": "local-model", "vllm": "local-model", "lmstudio": "local-model",
    ]

    private static func price(_ input: Double, _ output: Double, _ cacheRead: Double = 0, _ cacheWrite: Double = 0)
        -> ModelPricing
    {
        ModelPricing(input: input, output: output, cacheRead: cacheRead, cacheWrite: cacheWrite)
    }

    private static let hosted: [ModelDescriptor] = [
        ModelDescriptor(
            id: "gpt-4o-mini", name: "GPT-4o mini", api: .openAIResponses, provider: "openai",
            baseURL: "https://api.openai.com/v1", input: ["text", "image"], cost: price(0.15, 0.6, 0.075)),
        ModelDescriptor(
            id: "gpt-4.1", name: "GPT-4.1", api: .openAIResponses, provider: "openai",
            baseURL: "https://api.openai.com/v1", input: ["text", "image"], cost: price(2, 8, 0.5),
            contextWindow: 1_047_576, maxTokens: 32_768),
        ModelDescriptor(
            id: "o4-mini", name: "o4-mini", api: .openAIResponses, provider: "openai",
            baseURL: "https://api.openai.com/v1", reasoning: true, input: ["text", "image"], cost: price(1.1, 4.4, 0.275),
            contextWindow: 200_000, maxTokens: 100_000),
        ModelDescriptor(
            id: "claude-haiku-4-5", name: "Claude Haiku 4.5", api: .anthropicMessages, provider: "anthropic",
            baseURL: "https://api.anthropic.com/v1", reasoning: true, input: ["text", "image"],
            cost: price(1, 5, 0.1, 1.25), contextWindow: 200_000, maxTokens: 64_000),
        ModelDescriptor(
            id: "claude-sonnet-4-5", name: "Claude Sonnet 4.5", api: .anthropicMessages, provider: "anthropic",
            baseURL: "https://api.anthropic.com/v1", reasoning: true, input: ["text", "image"],
            cost: price(3, 15, 0.3, 3.75), contextWindow: 200_000, maxTokens: 64_000),
        ModelDescriptor(
            id: "gemini-2.0-flash", name: "Gemini 2.0 Flash", api: .googleGenerativeAI, provider: "google",
            baseURL: "https://generativelanguage.googleapis.com/v1beta", input: ["text", "image"],
            cost: price(0.1, 0.4, 0.025), contextWindow: 1_048_576, maxTokens: 8_192),
        ModelDescriptor(
            id: "gemini-2.5-pro", name: "Gemini 2.5 Pro", api: .googleGenerativeAI, provider: "google",
            baseURL: "https://generativelanguage.googleapis.com/v1beta", reasoning: true, input: ["text", "image"],
            cost: price(1.25, 10, 0.31), contextWindow: 1_048_576, maxTokens: 65_536),
        ModelDescriptor(
            id: "openai/gpt-4o-mini", name: "GPT-4o mini (OpenRouter)", api: .openAICompletions, provider: "openrouter",
            baseURL: "https://openrouter.ai/api/v1", cost: price(0.15, 0.6)),
        ModelDescriptor(
            id: "llama-3.3-70b-versatile", name: "Llama 3.3 70B (Groq)", api: .openAICompletions, provider: "groq",
            baseURL: "https://api.groq.com/openai/v1", cost: price(0.59, 0.79), contextWindow: 131_072,
            maxTokens: 32_768),
        ModelDescriptor(
            id: "mistral-large-latest", name: "Mistral Large", api: .openAICompletions, provider: "mistral",
            baseURL: "https://api.mistral.ai/v1", cost: price(2, 6)),
        ModelDescriptor(
            id: "grok-3-mini", name: "Grok 3 mini", api: .openAICompletions, provider: "xai",
            baseURL: "https://api.x.ai/v1", reasoning: true, cost: price(0.3, 0.5, 0.075), contextWindow: 131_072),
        ModelDescriptor(
            id: "deepseek-chat", name: "DeepSeek V3", api: .openAICompletions, provider: "deepseek",
            baseURL: "https://api.deepseek.com/v1", cost: price(0.27, 1.1, 0.07), contextWindow: 65_536,
            maxTokens: 8_192),
        ModelDescriptor(
            id: "deepseek-reasoner", name: "DeepSeek R1", api: .openAICompletions, provider: "deepseek",
            baseURL: "https://api.deepseek.com/v1", reasoning: true, cost: price(0.55, 2.19, 0.14),
            contextWindow: 65_536, maxTokens: 32_768),
    ]

    private static let local: [ModelDescriptor] = [
        ModelDescriptor(id: "qwen3-coder", name: "Ollama (local)", api: .openAICompletions, provider: "ollama",
                        baseURL: "http://127.0.0.1:11434/v1"),
        ModelDescriptor(id: "local-model", name: "llama.cpp llama-server (local)", api: .openAICompletions,
                        provider: "llamacpp", baseURL: "http://127.0.0.1:8080/v1"),
        ModelDescriptor(id: "local-model", name: "vLLM (local)", api: .openAICompletions, provider: "vllm",
                        baseURL: "http://127.0.0.1:8000/v1"),
        ModelDescriptor(id: "local-model", name: "LM Studio (local)", api: .openAICompletions, provider: "lmstudio",
                        baseURL: "http://127.0.0.1:1234/v1"),
    ]
}
