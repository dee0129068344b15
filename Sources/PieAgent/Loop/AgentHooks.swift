import PieLocal

/// Everything the loop delegates, as injected closures rather than branches in the loop: the
/// agent builder wires the policy gate, audit, compaction and queues here, and tests replace any
/// of them. The tool hooks are the one layer around every tool call: `ToolRunner` asks them in
/// the loop and in `pie tool` alike.
public struct AgentHooks: Sendable {
    /// Turns the working context into the messages of a request. Must not fail; the default
    /// (`LLMConversion.convert`) drops aborted replies and answers dangling tool calls.
    public var convertToLlm: @Sendable ([AgentMessage]) -> [ChatMessage]
    /// Runs before every model call (and once more after a context-overflow error). The loop
    /// continues from what it returns, so compaction done here is done once.
    public var transformContext: @Sendable ([AgentMessage], ContextTransformReason) async throws -> [AgentMessage]
    /// The policy gate: asked for every call whose arguments are valid, before it executes; a
    /// block becomes an error result with the gate's message and nothing runs.
    public var beforeToolCall: @Sendable (BeforeToolCallContext) async -> ToolGate
    /// Audit and redaction: sees every result (unknown tools, invalid arguments and blocked
    /// calls included) and returns the one the model gets.
    public var afterToolCall: @Sendable (AfterToolCallContext, ToolResult) async -> ToolResult
    /// Asked after every `turn_end`; `true` ends the run before the queues are polled.
    public var shouldStop: @Sendable (TurnSummary) async -> Bool
    /// Messages the user typed while the agent worked; delivered before the next model call.
    public var getSteeringMessages: @Sendable () async -> [AgentMessage]
    /// Messages queued to run after the agent would otherwise stop; they start another turn.
    public var getFollowUpMessages: @Sendable () async -> [AgentMessage]
    /// Asked before every model request (never during a tool batch) with the tools in use; a
    /// runner it returns replaces them from that request on, so the model is offered, and a
    /// reply's calls run against, one tool set. MCP servers whose tool list changed come in here.
    public var refreshTools: @Sendable (ToolRunner) async -> ToolRunner?
    /// Receives every event. Message events of one reply arrive in order (from the provider's
    /// streaming thread); tool events of parallel calls may arrive concurrently, so the sink must
    /// be thread-safe.
    public var onEvent: @Sendable (AgentEvent) -> Void

    public init(
        convertToLlm: @escaping @Sendable ([AgentMessage]) -> [ChatMessage] = LLMConversion.convert,
        transformContext: @escaping @Sendable ([AgentMessage], ContextTransformReason) async throws -> [AgentMessage] = {
            messages, _ in messages
        },
        beforeToolCall: @escaping @Sendable (BeforeToolCallContext) async -> ToolGate = { _ in .allow },
        afterToolCall: @escaping @Sendable (AfterToolCallContext, ToolResult) async -> ToolResult = { _, result in result },
        shouldStop: @escaping @Sendable (TurnSummary) async -> Bool = { _ in false },
        getSteeringMessages: @escaping @Sendable () async -> [AgentMessage] = { [] },
        getFollowUpMessages: @escaping @Sendable () async -> [AgentMessage] = { [] },
        refreshTools: @escaping @Sendable (ToolRunner) async -> ToolRunner? = { _ in nil },
        onEvent: @escaping @Sendable (AgentEvent) -> Void = { _ in }
    ) {
        self.convertToLlm = convertToLlm
        self.transformContext = transformContext
        self.beforeToolCall = beforeToolCall
        self.afterToolCall = afterToolCall
        self.shouldStop = shouldStop
        self.getSteeringMessages = getSteeringMessages
        self.getFollowUpMessages = getFollowUpMessages
        self.refreshTools = refreshTools
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
