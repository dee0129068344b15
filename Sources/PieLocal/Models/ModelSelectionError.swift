/// Why `--provider`/`--model` did not select a model, with what to do about it.
public enum ModelSelectionError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownProvider(String, known: [String])
    case unknownModel(String, provider: String?, available: [String])
    case noModelConfigured

    public var description: String {
        switch self {
        case .unknownProvider(let name, let known):
            return "Unknown provider '\(name)'. Known providers: \(known.joined(separator: ", ")). "
                + "Add one in ~/.pie/models.json (see docs/models.md)."
        case .unknownModel(let id, let provider, let available):
            let scope = provider.map { " for provider '\($0)'" } ?? ""
            return "Unknown model '\(id)'\(scope). Available: \(available.joined(separator: ", ")). "
                + "Use --model provider:id, or add it to ~/.pie/models.json."
        case .noModelConfigured:
            return """
                No model is configured. Do one of:
                  - run a local server and select it: --provider ollama --model qwen3-coder \
                (llama.cpp: --provider llamacpp, vLLM: --provider vllm, LM Studio: --provider lmstudio), \
                or point at any OpenAI-compatible server with --base-url http://127.0.0.1:8080/v1;
                  - export a key: ANTHROPIC_API_KEY, OPENAI_API_KEY, DS4_API_KEY, OPENROUTER_API_KEY, \
                GROQ_API_KEY, MISTRAL_API_KEY or GEMINI_API_KEY, or save one with `pie login PROVIDER KEY`;
                  - describe your server in ~/.pie/models.json (format in docs/models.md).
                """
        }
    }
}
