/// Where a supervised server is in its life, for `pie mcp list`, `/mcp` and tool errors.
public enum MCPConnectionStatus: Sendable, Equatable {
    case idle
    case starting
    case ready(MCPServerInfo)
    /// Lost; attempt `attempt` of the restart policy starts after `delayMs`. `reason` says how it
    /// ended (exit status, stderr tail).
    case restarting(attempt: Int, delayMs: Int, reason: String)
    /// Given up after the restart policy's attempts, or the first start failed.
    case failed(String)
    case closed
}
