/// What a compaction will do: which messages the summariser reads and which stay verbatim.
public struct CompactionPlan: Sendable, Hashable {
    /// Messages to summarise, oldest first (after any earlier summary).
    public var toSummarise: [AgentMessage]
    /// Messages kept verbatim, starting at a valid boundary.
    public var kept: [AgentMessage]
    /// Index of `kept.first` in the planned context.
    public var firstKeptIndex: Int
    /// The summary of an earlier compaction, updated rather than discarded.
    public var previousSummary: CompactionSummary?
    /// The context estimate before compacting.
    public var tokensBefore: Int
}
