/// Which model answers, which ones stand in when it fails, and how hard each is tried.
public struct ModelSelection: Sendable, Equatable {
    /// A provider name from the model registry, or `replay` with `replayTranscript`.
    public var provider: String?
    /// A model id, or `provider:model`.
    public var model: String?
    /// Overrides the selected model's base URL (alone: a local DS4 server).
    public var baseURL: String?
    /// A recorded transcript (JSONL) played back by the `replay` provider.
    public var replayTranscript: String?
    /// `provider:model` names tried in order once the primary's retries are exhausted.
    public var fallbacks: [String]
    /// Retries after a retryable failure.
    public var maxRetries: Int
    /// Total time retries may take; 0 means no budget.
    public var retryBudgetMilliseconds: Int
    /// Randomises backoff delays so that many clients do not retry in step.
    public var retryJitter: Bool
    /// Limit for one HTTP request.
    public var requestTimeoutMilliseconds: Int

    /// The provider name that plays `replayTranscript` back instead of calling a model.
    public static let replayProvider = "replay"

    public init(
        provider: String? = nil, model: String? = nil, baseURL: String? = nil, replayTranscript: String? = nil,
        fallbacks: [String] = [], maxRetries: Int = 2, retryBudgetMilliseconds: Int = 0, retryJitter: Bool = true,
        requestTimeoutMilliseconds: Int = 120_000
    ) {
        self.provider = provider
        self.model = model
        self.baseURL = baseURL
        self.replayTranscript = replayTranscript
        self.fallbacks = fallbacks
        self.maxRetries = maxRetries
        self.retryBudgetMilliseconds = retryBudgetMilliseconds
        self.retryJitter = retryJitter
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
    }

    /// The numeric settings, named for errors.
    public enum Setting: String, Sendable, Equatable, CaseIterable {
        case maxRetries, retryBudgetMilliseconds, requestTimeoutMilliseconds
    }

    func value(of setting: Setting) -> Int {
        switch setting {
        case .maxRetries: maxRetries
        case .retryBudgetMilliseconds: retryBudgetMilliseconds
        case .requestTimeoutMilliseconds: requestTimeoutMilliseconds
        }
    }
}
