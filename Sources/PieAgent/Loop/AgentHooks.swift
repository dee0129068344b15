import PieLocal

/// Everything the loop delegates, as injected closures rather than branches in the loop: the
/// CLI wires the policy gate, audit, compaction and queues here, and tests replace any of them.
public struct AgentHooks: Sendable {
    /// Turns the working context into the messages of a request. Must not fail; the default
    /// (`LLMConversion.convert`) drops aborted replies and answers dangling tool calls.
    public var convertToLlm: @Sendable ([AgentMessage]) -> [ChatMessage]
    /// Runs before every model call (and once more after a context-overflow error). The loop
    /// continues from what it returns, so compaction done here is done once.
    public var transformContext: @Sendable ([AgentMessage], ContextTransformReason) async throws -> [AgentMessage]
    /// The policy gate: runs for every call before it executes; a block becomes an error result.
    public var beforeToolCall: @Sendable (ToolCallContext) async -> ToolGate
    /// Audit and redaction: sees every result (including blocked ones) and may replace it.
    public var afterToolCall: @Sendable (ToolCallContext, ToolResult) async -> ToolResult
    /// Asked after every `turn_end`; `true` ends the run before the queues are polled.
    public var shouldStop: @Sendable (TurnSummary) async -> Bool
    /// Messages the user typed while the agent worked; delivered before the next model call.
    public var getSteeringMessages: @Sendable () async -> [AgentMessage]
    /// Messages queued to run after the agent would otherwise stop; they start another turn.
    public var getFollowUpMessages: @Sendable () async -> [AgentMessage]
    /// Receives every event. Message events of one reply arrive in order (from the provider's
    /// streaming thread); tool events of parallel calls may arrive concurrently, so the sink must
    /// be thread-safe.
    public var onEvent: @Sendable (AgentEvent) -> Void

    public init(
        convertToLlm: @escaping @Sendable ([AgentMessage]) -> [ChatMessage] = LLMConversion.convert,
        transformContext: @escaping @Sendable ([AgentMessage], ContextTransformReason) async throws -> [AgentMessage] = {
            messages, _ in messages
        },
        beforeToolCall: @escaping @Sendable (ToolCallContext) async -> ToolGate = { _ in .allow },
        afterToolCall: @escaping @Sendable (ToolCallContext, ToolResult) async -> ToolResult = { _, result in result },
        shouldStop: @escaping @Sendable (TurnSummary) async -> Bool = { _ in false },
        getSteeringMessages: @escaping @Sendable () async -> [AgentMessage] = { [] },
        getFollowUpMessages: @escaping @Sendable () async -> [AgentMessage] = { [] },
        onEvent: @escaping @Sendable (AgentEvent) -> Void = { _ in }
    ) {
        self.convertToLlm = convertToLlm
        self.transformContext = transformContext
        self.beforeToolCall = beforeToolCall
        self.afterToolCall = afterToolCall
        self.shouldStop = shouldStop
        self.getSteeringMessages = getSteeringMessages
        self.getFollowUpMessages = getFollowUpMessages
        self.onEvent = onEvent
    }
}

/// Why `transformContext` is being asked.
public enum ContextTransformReason: String, Sendable, Hashable {
    /// Before a model call: compact if the estimate is over the threshold.
    case beforeRequest
    /// The server said the prompt does not fit: compact now, the loop retries once.
    case contextOverflow
}

/// The answer of the `beforeToolCall` gate.
public enum ToolGate: Sendable, Hashable {
    case allow
    /// Do not run the call; the model gets an error result with `reason` (the policy's words).
    case block(reason: String)
}

/// What the tool hooks know about a call.
public struct ToolCallContext: Sendable {
    public var call: ToolCall
    /// The reply the call came from.
    public var assistantMessage: AssistantMessage
    /// The working context as it was when the reply arrived.
    public var context: [AgentMessage]

    public init(call: ToolCall, assistantMessage: AssistantMessage, context: [AgentMessage]) {
        self.call = call
        self.assistantMessage = assistantMessage
        self.context = context
    }
}

/// What `shouldStop` sees at the end of a turn.
public struct TurnSummary: Sendable {
    /// 1-based number of the turn in this run.
    public var turn: Int
    public var message: AssistantMessage
    public var toolResults: [ToolResultMessage]
    /// Messages this run added so far.
    public var newMessages: [AgentMessage]

    public init(turn: Int, message: AssistantMessage, toolResults: [ToolResultMessage], newMessages: [AgentMessage]) {
        self.turn = turn
        self.message = message
        self.toolResults = toolResults
        self.newMessages = newMessages
    }
}
