import PieAgent
import PieJSON
import PiePolicy

/// The model's `task`: hands a focused piece of work to a fresh sub-agent and gets its answer
/// back as the result. The sub-agent has no part of this conversation, only the prompt; by
/// default it may only read (read, grep, find, ls); it runs under this agent's very policy, so
/// it can do nothing this agent could not; `task_tool` decides whether it starts at all.
/// Several calls in one reply run side by side.
struct TaskTool: AgentTool {
    static let toolName = "task"

    let delegation: TaskDelegation

    var name: String { Self.toolName }

    let description =
        "Delegate a focused task to a sub-agent that starts fresh: it does not see this conversation, only your prompt, "
        + "so say everything it needs (files, names, what to report). By default it can read, grep, find and ls; give "
        + "'tools' for others. It works on its own turns and its final message comes back as this tool's result. Several "
        + "task calls in one reply run in parallel: use them for independent searches or reviews."

    var schema: ToolSchema {
        ToolSchema([
            .init("description", .string, "A few words for the user, e.g. \"find the config loader\"", required: true),
            .init("prompt", .string, "The whole task: what to find out or do and what to answer with", required: true),
            .init(
                "tools", .array(of: .string, minItems: 1),
                "The sub-agent's tools (default: read, grep, find, ls); tools that change files or run commands are asked for"),
        ])
    }

    /// Checks what the schema cannot before anyone is asked; a value of the wrong type is left
    /// to the schema, whose message names it better.
    func prepareArguments(_ object: JSONObject) -> Result<JSONObject, ArgumentProblem> {
        guard object["description"]?.stringValue != nil, object["prompt"]?.stringValue != nil else { return .success(object) }
        if let tools = object["tools"], tools.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true { return .success(object) }
        if case .failure(let problem) = parse(object) { return .failure(problem) }
        return .success(object)
    }

    func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        switch parse(arguments.object) {
        case .success(let task):
            return .task(tools: task.tools)
        case .failure:
            // Not reached: `prepareArguments` refused these. The widest request is judged.
            return .task(tools: delegation.offered)
        }
    }

    func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        let task: TaskArguments
        switch parse(arguments.object) {
        case .success(let parsed): task = parsed
        case .failure(let problem): throw ToolFailure(problem.message)
        }
        return try await SubAgentRun(delegation: delegation, task: task, context: context).run()
    }

    private func parse(_ object: JSONObject) -> Result<TaskArguments, ArgumentProblem> {
        TaskArguments.parse(object, offered: delegation.offered, limits: delegation.limits)
    }
}
