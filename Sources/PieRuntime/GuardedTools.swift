import PieAgent
import PieHooks
import PieLocal

/// The coding tools with the hooks an agent runs them behind (policy gate, audit log): what
/// `pie tool` drives without a model, through the same dispatch path as the loop.
public struct GuardedTools: Sendable {
    public let runner: ToolRunner
    /// The agent's hooks with the gate and the audit installed.
    public let hooks: AgentHooks
    /// The lifecycle hooks (`hooks.toml`) these tools run with; nil when none are configured.
    public let lifecycle: LifecycleHooks?

    public init(runner: ToolRunner, hooks: AgentHooks, lifecycle: LifecycleHooks? = nil) {
        self.runner = runner
        self.hooks = hooks
        self.lifecycle = lifecycle
    }

    public func run(_ call: ToolCall) async -> ToolResult {
        await runner.run(call, hooks: hooks)
    }
}
