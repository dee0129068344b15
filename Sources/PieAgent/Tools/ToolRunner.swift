import PieJSON
import PieLocal
import PiePolicy

/// What a model is told about a tool.
public struct ToolDefinition: Sendable, Equatable {
    public var name: String
    public var description: String
    /// The JSON Schema of the parameters.
    public var parameters: JSONValue
}

/// The single dispatch path for tool calls: look up → validate → policy (`beforeToolCall`) →
/// execute over the injected backends → `afterToolCall` (audit, redaction). The agent loop and
/// `pie tool` both call `run`, so a call behaves the same wherever it comes from.
///
/// Every failure is a result, never a thrown error, worded as pi words it, so a model can
/// recover and the run never aborts because of a tool.
public struct ToolRunner: Sendable {
    public let tools: [any AgentTool]
    public var context: ToolContext
    public var hooks: ToolHooks

    public init(tools: [any AgentTool], context: ToolContext, hooks: ToolHooks) {
        self.tools = tools
        self.context = context
        self.hooks = hooks
    }

    public func tool(named name: String) -> (any AgentTool)? {
        tools.first { $0.name == name }
    }

    /// The tools as sent to the model, in registration order.
    public var definitions: [ToolDefinition] {
        tools.map { ToolDefinition(name: $0.name, description: $0.description, parameters: $0.schema.jsonSchema) }
    }

    /// Runs one call; `onUpdate` receives streaming partial results (bash output).
    public func run(_ call: ToolCall, onUpdate: @escaping @Sendable (ToolResult) -> Void = { _ in }) async -> ToolResult {
        let started = ContinuousClock.now
        let rawArguments = call.argumentText
        var report = ToolCallReport(
            callID: call.id, tool: call.name, rawArguments: rawArguments, stage: .unknownTool, request: nil,
            decision: nil, result: .error("Tool \(call.name) not found"), durationMs: 0,
            bytesIn: rawArguments.utf8.count, bytesOut: 0)
        guard let tool = tool(named: call.name) else { return await finish(report, started: started) }

        let arguments: ValidatedArguments
        switch ToolArguments.validate(call, for: tool) {
        case .success(let valid): arguments = valid
        case .failure(let error):
            report.stage = .invalidArguments
            report.result = .error(error.description)
            return await finish(report, started: started)
        }

        var context = self.context
        context.onUpdate = onUpdate
        let request = tool.policyRequest(arguments, context: context)
        report.request = request
        let decision = await hooks.beforeToolCall(
            ToolCallInfo(
                callID: call.id, tool: call.name, arguments: arguments, rawArguments: rawArguments, request: request,
                cwd: context.cwd))
        report.decision = decision
        guard decision.allowed else {
            report.stage = .denied
            report.result = .error("Denied by policy (rule \(decision.rule)): \(decision.reason)")
            return await finish(report, started: started)
        }

        report.stage = .completed
        do {
            report.result = try await tool.execute(arguments, context: context)
        } catch {
            report.result = .error(error.message, details: error.details)
        }
        return await finish(report, started: started)
    }

    private func finish(_ report: ToolCallReport, started: ContinuousClock.Instant) async -> ToolResult {
        var report = report
        report.durationMs = Int((ContinuousClock.now - started) / .milliseconds(1))
        report.bytesOut = report.result.byteCount
        return await hooks.afterToolCall(report)
    }
}
