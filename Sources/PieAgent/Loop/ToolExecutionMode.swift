/// How a tool wants to be scheduled among the calls of one reply.
public enum ToolExecutionMode: Sendable, Hashable {
    /// Runs concurrently with the neighbouring parallel calls (the default).
    case parallel
    /// Runs by itself: calls before it finish first, calls after it wait for it.
    case alone
}
