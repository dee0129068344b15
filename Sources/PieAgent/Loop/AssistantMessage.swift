import PieLocal

/// One model reply as the loop assembled it from stream events.
public struct AssistantMessage: Sendable, Hashable {
    public var content: [ContentBlock]
    public var stopReason: AssistantStopReason
    /// The usage the provider reported for this reply, if any.
    public var usage: Usage?
    /// Why the reply failed, when `stopReason` is `error` or `aborted`.
    public var errorMessage: String?
    /// `provider:id` of the model that produced it (after any fallback).
    public var model: String

    public init(
        content: [ContentBlock] = [], stopReason: AssistantStopReason = .stop, usage: Usage? = nil,
        errorMessage: String? = nil, model: String
    ) {
        self.content = content
        self.stopReason = stopReason
        self.usage = usage
        self.errorMessage = errorMessage
        self.model = model
    }

    /// Tool calls in the order the model made them.
    public var toolCalls: [ToolCall] {
        content.compactMap { block in
            if case .toolCall(let call) = block { return call }
            return nil
        }
    }

    /// Text blocks joined, as a user would read them.
    public var text: String {
        content.reduce(into: "") { text, block in
            if case .text(let piece) = block { text += piece }
        }
    }

    /// Whether the reply is complete enough to send back to a model: aborted and failed replies
    /// stay in the session for the record but are never replayed.
    public var isReplayable: Bool { stopReason != .aborted && stopReason != .error }
}
