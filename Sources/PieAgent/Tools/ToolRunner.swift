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

/// The single dispatch path for tool calls, as pi's loop runs it: look up → validate → policy
/// request → `beforeToolCall` (the policy gate, may block) → execute over the injected backends
/// → `afterToolCall` (audit, redaction, may replace the result). The agent loop and `pie tool`
/// both come through here with the same `AgentHooks`, so a call behaves the same wherever it
/// comes from.
///
/// Two phases, so the loop can gate every call of a reply in source order before running the
/// allowed ones side by side (pi's parallel mode); `run` does both at once.
///
/// Every failure is a result, never a thrown error, worded as pi words it, so a model can
/// recover and the run never aborts because of a tool.
///
/// Immutable and a class, so the loop's configuration, its batches and `pie tool` share one
/// runner rather than copying the tools and their policy at every hand-over.
public final class ToolRunner: Sendable {
    public let tools: [any AgentTool]
    public let context: ToolContext

    public init(tools: [any AgentTool], context: ToolContext) {
        self.tools = tools
        self.context = context
    }

    public func tool(named name: String) -> (any AgentTool)? {
        tools.first { $0.name == name }
    }

    /// The tools as sent to the model, in registration order.
    public var definitions: [ToolDefinition] {
        tools.map { ToolDefinition(name: $0.name, description: $0.description, parameters: $0.schema.jsonSchema) }
    }

    /// Runs one call through both phases; `onUpdate` receives streaming partial results (bash output).
    public func run(
        _ call: ToolCall, hooks: AgentHooks, turn: ToolCallTurn? = nil,
        onUpdate: @escaping @Sendable (ToolResult) -> Void = { _ in }
    ) async -> ToolResult {
        await finish(await prepare(call, hooks: hooks, turn: turn), hooks: hooks, onUpdate: onUpdate)
    }

    /// Phase one: look up, validate, ask `beforeToolCall`. Nothing has run yet.
    public func prepare(_ call: ToolCall, hooks: AgentHooks, turn: ToolCallTurn? = nil) async -> PreparedToolCall {
        let started = ContinuousClock.now
        var prepared = await check(call, hooks: hooks, turn: turn)
        prepared.elapsed = ContinuousClock.now - started
        return prepared
    }

    private func check(_ call: ToolCall, hooks: AgentHooks, turn: ToolCallTurn?) async -> PreparedToolCall {
        var prepared = PreparedToolCall(
            report: AfterToolCallContext(
                call: call, stage: .unknownTool, cwd: context.cwd, argumentText: call.argumentText, turn: turn,
                durationMs: 0),
            answer: nil)
        guard let tool = tool(named: call.name) else {
            prepared.answer = .error("Tool \(call.name) not found")
            return prepared
        }

        let arguments: ValidatedArguments
        switch ToolArguments.validate(call, for: tool) {
        case .success(let valid): arguments = valid
        case .failure(let error):
            prepared.report.stage = .invalidArguments
            prepared.answer = .error(error.description)
            return prepared
        }

        let request = tool.policyRequest(arguments, context: context)
        prepared.report.arguments = arguments
        prepared.report.request = request
        let gate = await hooks.beforeToolCall(
            BeforeToolCallContext(
                call: call, arguments: arguments, request: request, cwd: context.cwd,
                argumentText: prepared.report.argumentText, turn: turn))
        prepared.report.gate = gate
        if let message = gate.blockMessage {
            prepared.report.stage = .denied
            prepared.answer = .error(message)
            return prepared
        }
        prepared.report.stage = .completed
        prepared.tool = tool
        return prepared
    }

    /// Phase two: execute an allowed call (unless the run was cancelled meanwhile), then let
    /// `afterToolCall` see and replace every result, answered or run.
    public func finish(
        _ prepared: PreparedToolCall, hooks: AgentHooks, onUpdate: @escaping @Sendable (ToolResult) -> Void = { _ in }
    ) async -> ToolResult {
        let started = ContinuousClock.now
        var report = prepared.report
        var result: ToolResult
        if let answer = prepared.answer {
            result = answer
        } else if let tool = prepared.tool, let arguments = report.arguments, !Task.isCancelled {
            var context = self.context
            context.callID = report.call.id
            context.onUpdate = onUpdate
            do {
                result = try await tool.execute(arguments, context: context)
            } catch {
                result = .error(error.message, details: error.details)
            }
        } else {
            report.stage = .cancelled
            result = .error("Cancelled before it ran.")
        }
        report.durationMs = Int((prepared.elapsed + (ContinuousClock.now - started)) / .milliseconds(1))
        return await hooks.afterToolCall(report, result)
    }
}

/// A call after `ToolRunner.prepare`: either answered already (unknown tool, invalid arguments,
/// blocked) or allowed to run.
public struct PreparedToolCall: Sendable {
    var report: AfterToolCallContext
    /// The result of a call that will not run; nil for one that will.
    var answer: ToolResult?
    var tool: (any AgentTool)?
    var elapsed: Duration = .zero

    public var call: ToolCall { report.call }

    /// True when the call passed the gate and `finish` will execute it.
    public var runs: Bool { answer == nil }

    /// How the loop schedules it among the reply's calls: tools whose effects others may
    /// observe (writes, commands) run alone.
    public var mode: ToolExecutionMode { tool?.runsAlone == true ? .alone : .parallel }
}
