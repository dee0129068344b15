import PieLocal

/// Runs tool calls for the loop. This is the seam between the loop and the tools module: the
/// loop decides when and how many calls run, the executor decides what a call does.
///
/// Cancellation is structured: a call runs inside a child task of the run, so cancelling the run
/// (Ctrl-C, `--turn-timeout-ms`) cancels the task that `execute` runs in. Executors that spawn
/// processes must react to `Task.isCancelled` or `withTaskCancellationHandler` by killing them.
public protocol ToolExecutor: Sendable {
    /// Whether the named tool may run alongside others from the same reply.
    func executionMode(for toolName: String) -> ToolExecutionMode

    /// Runs one call. Throwing is allowed and never aborts the run: the loop turns the error
    /// into an error result the model can read. `onUpdate` streams partial output.
    func execute(
        _ call: ToolCall, onUpdate: @escaping @Sendable (ToolResult) -> Void
    ) async throws -> ToolResult
}

/// How a tool wants to be scheduled among the calls of one reply.
public enum ToolExecutionMode: Sendable, Hashable {
    /// Runs concurrently with the neighbouring parallel calls (the default).
    case parallel
    /// Runs by itself: calls before it finish first, calls after it wait for it.
    case alone
}
