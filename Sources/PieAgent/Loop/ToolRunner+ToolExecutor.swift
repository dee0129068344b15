import PieLocal
import PieJSON

/// Lets the loop run calls through the tools module's single dispatch path (validate → policy →
/// execute → audit), so a call behaves the same in the agent and in `pie tool`. With this
/// executor the policy gate and audit live in `ToolRunner.hooks`; the loop's `beforeToolCall`
/// and `afterToolCall` can stay at their defaults or add to them. `toolSpecs` (tools module)
/// gives the matching `AgentConfiguration.tools`.
extension ToolRunner: ToolExecutor {
    public func executionMode(for toolName: String) -> ToolExecutionMode {
        tool(named: toolName)?.runsAlone == true ? .alone : .parallel
    }

    /// The runner validates the argument text exactly as the model sent it (`argumentText`), so
    /// malformed JSON goes back to the model as a validation error instead of running repaired.
    public func execute(
        _ call: PieLocal.ToolCall, onUpdate: @escaping @Sendable (ToolExecution) -> Void
    ) async throws -> ToolExecution {
        let request = ToolCall(id: call.id, name: call.name, arguments: Array(call.argumentText.utf8))
        let result = await run(request) { partial in onUpdate(ToolExecution(partial)) }
        return ToolExecution(result)
    }
}

extension ToolExecution {
    /// Converts the tools module's result; images are base64-encoded as providers expect them.
    public init(_ result: ToolResult) {
        let content = result.content.map { block -> ContentBlock in
            switch block {
            case .text(let text): .text(text)
            case .image(let mimeType, _): .image(base64: block.base64 ?? "", mimeType: mimeType)
            }
        }
        let details: JSONValue? = result.details.isEmpty ? nil : .object(result.details)
        self.init(content: content, isError: result.isError, details: details)
    }
}
