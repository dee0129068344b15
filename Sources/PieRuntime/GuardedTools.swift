import PieAgent
import PieLocal

/// The coding tools with the hooks an agent runs them behind (policy gate, audit log): what
/// `pie tool` drives without a model, through the same dispatch path as the loop.
public struct GuardedTools: Sendable {
    public let runner: ToolRunner
    /// The agent's hooks with the gate and the audit installed.
    public let hooks: AgentHooks

    public init(runner: ToolRunner, hooks: AgentHooks) {
        self.runner = runner
        self.hooks = hooks
    }

    public func run(_ call: ToolCall) async -> ToolResult {
        await runner.run(call, hooks: hooks)
    }
}
