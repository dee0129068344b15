/// A `ModelClient` turn — retries, then the fallback chain — presented as one `Provider`, so the
/// agent loop streams from it like from any adapter and needs no retry logic of its own.
///
/// The `model` and `apiKey` a caller passes are ignored: the chain and its key lookup decide.
/// `.retrying` and `.fallback` events reach the caller (who discards the failed attempt's partial
/// output); a final failure arrives as the `.error` event `ModelClient` always ends with.
public struct ResilientProvider: Provider {
    public let client: ModelClient
    public let chain: FallbackChain
    public let apiKey: @Sendable (ModelDescriptor) -> String?

    public init(client: ModelClient, chain: FallbackChain, apiKey: @escaping @Sendable (ModelDescriptor) -> String?) {
        self.client = client
        self.chain = chain
        self.apiKey = apiKey
    }

    public func stream(
        _ request: ChatRequest, model: ModelDescriptor, apiKey: String?,
        onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async throws {
        await client.run(request, chain: chain, apiKey: self.apiKey, onEvent: onEvent)
    }
}
