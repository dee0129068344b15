/// Recognises "the prompt is too long" across providers and local servers, so the agent can
/// compact instead of retrying a request that can never succeed.
enum ContextOverflow {
    private static let phrases = [
        "prompt is too long",
        "exceeds the context window",
        "exceeds the available context size",  // llama.cpp
        "greater than the context length",  // LM Studio
        "maximum context length",  // OpenAI, vLLM
        "context_length_exceeded",
        "context length exceeded",
        "too many tokens",
        "token limit exceeded",
        "input is too long",
    ]

    static func matches(_ message: String) -> Bool {
        let lowered = message.lowercased()
        return phrases.contains { lowered.contains($0) }
    }
}
