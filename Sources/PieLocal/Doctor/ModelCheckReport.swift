/// What `pie models check` found out about a model endpoint.
public struct ModelCheckReport: Sendable, Hashable {
    public var model: String
    public var url: String
    /// A response (any status) came back.
    public var reachable = false
    public var status: Int?
    public var firstByteMilliseconds: Double?
    /// The response was `text/event-stream` and arrived as events.
    public var streamed = false
    public var sawText = false
    public var sawToolCall = false
    /// Reasoning arrived in its own field (`reasoning_content`, thinking blocks, …).
    public var sawReasoning = false
    public var sawUsage = false
    public var error: ProviderError?
    /// One line per likely misconfiguration, each saying what to change.
    public var hints: [String] = []

    /// Reachable and answered without error.
    public var passed: Bool { reachable && error == nil }
}
