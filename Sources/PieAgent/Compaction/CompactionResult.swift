/// A finished compaction: the entry to store and the context to continue from.
public struct CompactionResult: Sendable, Hashable {
    public var summary: CompactionSummary
    /// The summary followed by the kept messages.
    public var context: [AgentMessage]

    public init(summary: CompactionSummary, context: [AgentMessage]) {
        self.summary = summary
        self.context = context
    }
}
