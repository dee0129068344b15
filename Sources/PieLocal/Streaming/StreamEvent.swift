import PieJSON

/// The one event vocabulary every wire adapter is normalised to.
public enum StreamEvent: Sendable, Hashable {
    case textDelta(String)
    case thinkingDelta(String)
    /// What must accompany the thinking text when it is replayed: Anthropic's opaque signature,
    /// or for OpenAI-compatible servers the field the reasoning arrived in (`reasoning_content`,
    /// `reasoning`, `reasoning_text`). Store it as `ContentBlock.thinking(_, signature:)`.
    case thinkingSignature(String)
    /// A tool call began; `index` orders calls within the response.
    case toolCallStart(index: Int, id: String, name: String)
    /// More argument text arrived; `partial` is the arguments parsed so far (always an object).
    /// For arguments over 4 KB it is refreshed only each time they double in size, which keeps
    /// a file-sized tool call linear; `toolCallEnd` always carries the complete parse.
    case toolCallDelta(index: Int, fragment: String, partial: JSONValue)
    case toolCallEnd(index: Int, call: ToolCall)
    case usage(Usage)
    case stop(StopReason)
    /// The turn failed; nothing follows.
    case error(ProviderError)
    /// Something the user should be told that does not stop the turn (e.g. a thinking level
    /// the model does not support was replaced).
    case notice(String)
    /// The attempt failed and will be retried after `delayMilliseconds`: discard the partial
    /// output of this attempt.
    case retrying(attempt: Int, delayMilliseconds: Int, reason: ProviderError)
    /// Retries were exhausted and the next model in the fallback chain takes over: discard the
    /// partial output of the failed model.
    case fallback(from: String, to: String, reason: ProviderError)
}
