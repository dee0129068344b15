import PieJSON

/// What a `task` call reports beside the sub-agent's answer: how the sub-agent ended and where
/// its own transcript is, so `/tree` and a reader of the session can follow the link. Never sent
/// to the model.
public struct TaskDetails: Sendable, Equatable {
    /// The call's `description`: the few words a UI shows for it.
    public var description: String
    /// The tools the sub-agent had.
    public var tools: [String]
    /// `AgentRunOutcome.name` of the sub-agent's run (`completed`, `max_turns`, `timed_out`, …).
    public var outcome: String
    /// Model calls the sub-agent made.
    public var turns: Int
    /// The sub-agent's session; nil when the parent keeps none (`--no-session`).
    public var sessionID: String?
    public var sessionPath: String?
    /// Tokens the sub-agent used (input, output), for budgets and `/cost`.
    public var inputTokens: Int
    public var outputTokens: Int
    /// The answer was longer than the cap and was cut.
    public var truncated: Bool

    public init(
        description: String, tools: [String], outcome: String, turns: Int, sessionID: String? = nil,
        sessionPath: String? = nil, inputTokens: Int = 0, outputTokens: Int = 0, truncated: Bool = false
    ) {
        self.description = description
        self.tools = tools
        self.outcome = outcome
        self.turns = turns
        self.sessionID = sessionID
        self.sessionPath = sessionPath
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.truncated = truncated
    }

    var json: JSONObject {
        var object = JSONObject([
            ("description", .string(description)), ("tools", .array(tools.map(JSONValue.string))),
            ("outcome", .string(outcome)), ("turns", .integer(turns)),
        ])
        if let sessionID { object["sessionId"] = .string(sessionID) }
        if let sessionPath { object["sessionPath"] = .string(sessionPath) }
        object["inputTokens"] = .integer(inputTokens)
        object["outputTokens"] = .integer(outputTokens)
        if truncated { object["truncated"] = .bool(true) }
        return object
    }
}
