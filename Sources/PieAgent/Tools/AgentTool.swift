import PiePolicy
import PieJSON

/// A coding tool in pi's shape: a name, a schema and an execute function over injected operations.
///
/// Tools never touch the file system or spawn processes themselves; they go through the
/// `FileOperations` and `ShellOperations` in their `ToolContext`, so the sandbox sees every access.
public protocol AgentTool: Sendable {
    var name: String { get }
    /// The description sent to models (pi's wording).
    var description: String { get }
    var schema: ToolSchema { get }
    /// True for tools whose effects other calls may observe (writes, commands), so an agent loop
    /// running calls in parallel runs these one at a time.
    var runsAlone: Bool { get }

    /// Rewrites documented legacy argument shapes before schema validation. The default keeps the
    /// arguments as they are; only `edit` overrides it.
    func prepareArguments(_ object: JSONObject) -> Result<JSONObject, ArgumentProblem>

    /// What the policy must judge before the call runs.
    func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest

    /// Runs the call. Throwing a `ToolFailure` produces an error result with its message, as in pi.
    func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult
}

extension AgentTool {
    public var runsAlone: Bool { false }

    public func prepareArguments(_ object: JSONObject) -> Result<JSONObject, ArgumentProblem> {
        .success(object)
    }
}
