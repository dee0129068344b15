/// What `pie models check` found out about a model endpoint.
public struct ModelCheckReport: Sendable, Hashable {
    public var model: String
    /// The model's base URL, as configured.
    public var url: String
    /// The URL the probe was posted to (the API's `Endpoint` rule applied to `url`).
    public var requestURL: String?
    /// After a 404: the same request with the version segment toggled, which pie would post to
    /// under `alternativeBaseURL` (nil when no base URL makes pie post there).
    public var alternativeURL: String?
    public var alternativeBaseURL: String?
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
