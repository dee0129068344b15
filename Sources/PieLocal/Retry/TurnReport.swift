/// What happened during one turn, for the session record and `--json` output.
public struct TurnReport: Sendable, Hashable {
    /// One failed attempt that was retried or led to a fallback.
    public struct Failure: Sendable, Hashable {
        public var model: String
        public var attempt: Int
        public var error: ProviderError
    }

    /// A switch to the next model in the chain.
    public struct Fallback: Sendable, Hashable {
        public var from: String
        public var to: String
        public var reason: ProviderError
    }

    /// `provider:id` of the model that answered, or `nil` when the turn failed.
    public var answeredBy: String?
    public var error: ProviderError?
    public var failures: [Failure] = []
    public var fallbacks: [Fallback] = []
}
