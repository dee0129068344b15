import PieLocal

/// Lets the loop run calls through the tools module's single dispatch path (validate → policy →
/// execute → audit), so a call behaves the same in the agent and in `pie tool`. With this
/// executor the policy gate and audit live in `ToolRunner.hooks`; the loop's `beforeToolCall`
/// and `afterToolCall` can stay at their defaults or add to them. `toolSpecs` (tools module)
/// gives the matching `AgentConfiguration.tools`.
extension ToolRunner: ToolExecutor {
    public func executionMode(for toolName: String) -> ToolExecutionMode {
        tool(named: toolName)?.runsAlone == true ? .alone : .parallel
    }

    /// The runner validates the argument text exactly as the model sent it (`rawArguments`), so
    /// malformed JSON goes back to the model as a validation error instead of running repaired.
    public func execute(
        _ call: ToolCall, onUpdate: @escaping @Sendable (ToolResult) -> Void
    ) async throws -> ToolResult {
        await run(call, onUpdate: onUpdate)
    }
}
