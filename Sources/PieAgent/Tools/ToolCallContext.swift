import PieLocal
import PiePolicy

/// The reply a call came from and the context it was made in, as pi's hook contexts carry them;
/// nil outside the loop (`pie tool`).
public struct ToolCallTurn: Sendable {
    public var assistantMessage: AssistantMessage
    /// The working context as it was when the reply arrived.
    public var context: [AgentMessage]

    public init(assistantMessage: AssistantMessage, context: [AgentMessage]) {
        self.assistantMessage = assistantMessage
        self.context = context
    }
}

/// What `beforeToolCall` judges: a call whose arguments are valid, and what the policy must decide.
public struct BeforeToolCallContext: Sendable {
    public var call: ToolCall
    public var arguments: ValidatedArguments
    /// The command, or the resolved path and the access it needs.
    public var request: ToolRequest
    public var cwd: String
    /// The arguments as text for the log: the model's own text, or the structured object
    /// written once.
    public var argumentText: String
    public var turn: ToolCallTurn?
}

/// How far a call got through the dispatch path.
public enum ToolCallStage: String, Sendable, Equatable {
    case unknownTool, invalidArguments, denied, cancelled, completed
}

/// What `afterToolCall` knows about a finished call, including unknown tools, invalid arguments
/// and denials.
public struct AfterToolCallContext: Sendable {
    public var call: ToolCall
    public var stage: ToolCallStage
    /// Nil unless the arguments validated.
    public var arguments: ValidatedArguments?
    /// Nil unless the arguments validated.
    public var request: ToolRequest?
    /// Nil unless `beforeToolCall` was asked.
    public var gate: ToolGate?
    public var cwd: String
    public var argumentText: String
    public var turn: ToolCallTurn?
    /// Time spent in the dispatch path (not waiting for other calls of the reply).
    public var durationMs: Int
}
