/// The MCP revisions pie speaks. pie offers the newest; a server may answer with an older one it
/// prefers, and pie accepts the ones whose messages it reads the same way.
public enum MCPProtocolVersion {
    public static let offered = "2025-06-18"
    public static let accepted = ["2025-06-18", "2025-03-26", "2024-11-05"]
}
