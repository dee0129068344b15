/// Which tool list a server offers: the incarnation of the server process (a restarted server
/// may offer other tools) and how many `notifications/tools/list_changed` it sent since then.
/// Equal stamps mean the list is as it was when last listed.
public struct MCPToolListStamp: Sendable, Hashable {
    public var incarnation: Int
    public var changes: Int

    public init(incarnation: Int, changes: Int) {
        self.incarnation = incarnation
        self.changes = changes
    }
}
