import PiePolicy

/// A tool call that passed validation and is about to be judged.
public struct ToolCallInfo: Sendable {
    public var callID: String
    public var tool: String
    public var arguments: ValidatedArguments
    /// The arguments exactly as the model sent them, for the audit log.
    public var rawArguments: String
    /// What the policy judges: the command, or the resolved path and the access it needs.
    public var request: ToolRequest
    public var cwd: String
}

/// How far a call got through the dispatch path.
public enum ToolCallStage: String, Sendable, Equatable {
    case unknownTool, invalidArguments, denied, completed
}

/// Everything known about a finished call, handed to `afterToolCall`.
public struct ToolCallReport: Sendable {
    public var callID: String
    public var tool: String
    public var rawArguments: String
    public var stage: ToolCallStage
    /// Nil unless the arguments validated.
    public var request: ToolRequest?
    /// Nil unless the policy was asked.
    public var decision: Decision?
    public var result: ToolResult
    public var durationMs: Int
    public var bytesIn: Int
    public var bytesOut: Int
}

/// The injected steps around a call: the policy gate before it runs and the audit (and
/// redaction) after it. They are values, so the agent loop, `pie tool` and tests share one path
/// and differ only in what they inject.
public struct ToolHooks: Sendable {
    /// Asked once arguments are valid; a denial becomes an error result and nothing runs.
    public var beforeToolCall: @Sendable (ToolCallInfo) async -> Decision
    /// Sees every call, including unknown tools, invalid arguments and denials, and returns the
    /// result the model gets (e.g. with secrets redacted).
    public var afterToolCall: @Sendable (ToolCallReport) async -> ToolResult

    public init(
        beforeToolCall: @escaping @Sendable (ToolCallInfo) async -> Decision,
        afterToolCall: @escaping @Sendable (ToolCallReport) async -> ToolResult = { $0.result }
    ) {
        self.beforeToolCall = beforeToolCall
        self.afterToolCall = afterToolCall
    }

    /// A gate over a policy evaluation function, e.g. `{ engine.evaluate($0, cwd: $1) }`.
    public static func policyGate(
        _ evaluate: @escaping @Sendable (ToolRequest, String) -> Decision
    ) -> @Sendable (ToolCallInfo) async -> Decision {
        { info in evaluate(info.request, info.cwd) }
    }

    /// Allows everything and audits nothing; for tests and explicitly unguarded hosts only.
    public static let unguarded = ToolHooks(beforeToolCall: { _ in
        Decision(allowed: true, rule: "allowed", reason: "no policy gate installed", trace: [])
    })
}
