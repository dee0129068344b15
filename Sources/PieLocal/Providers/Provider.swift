/// One wire API. Implementations translate a `ChatRequest` into that API's request and its
/// response (streamed or not) back into `StreamEvent`s.
public protocol Provider: Sendable {
    /// Runs one model call, delivering events as they arrive (on the transport's thread).
    ///
    /// A successful call ends with `.stop`. Failures are thrown as `ProviderError` (possibly
    /// after some events were delivered); the retry layer turns them into `.retrying`,
    /// `.fallback` or a final `.error` event.
    func stream(
        _ request: ChatRequest, model: ModelDescriptor, apiKey: String?,
        onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async throws
}

/// Builds the adapter for a model's wire API.
public enum ProviderFactory {
    public static func provider(for api: WireAPI, transport: any HTTPTransport) -> any Provider {
        switch api {
        case .openAICompletions: return OpenAICompletions(transport: transport)
        case .openAIResponses: return OpenAIResponses(transport: transport)
        case .anthropicMessages: return AnthropicMessages(transport: transport)
        case .googleGenerativeAI: return GoogleGenerativeAI(transport: transport)
        }
    }
}
